/** Real-board templates (firmware-assets/templates/) filled from a compiler build folder. */
export { instantiateTemplate, readTemplateManifest, TEMPLATE_MANIFEST, type InstantiateOptions, type InstantiateResult, type TemplateManifest } from './instantiate.js';
export { TEMPLATE_KINDS, TEMPLATE_LAYOUTS, isTemplateKind, type TemplateKind, type TemplateLayout } from './layouts.js';
export { readCompilerBuildDir, parseResolverOperators, resolverMethodToOperator, modelDataBytes, type CompilerBuildDir, type BuildReport } from './read-build-dir.js';
export { fillPlaceholders, placeholdersIn, float32Literal, cStringLiteral, PLACEHOLDER_PATTERN } from './placeholders.js';
