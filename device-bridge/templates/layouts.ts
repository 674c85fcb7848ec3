/**
 * Where each real-board template puts the portable tinyser sources, and which model backend it uses.
 * The C sources are the same on every board (app/pipeline_ser.c, protocol/, the tsr_ frontend and
 * the portable shell); only the model behind model.h differs: TFLite Micro over the compiler's
 * model_data + model_ops.h (Arduino, ESP-IDF) or the compiler's interpreter-free C (Pico SDK).
 */
export const TEMPLATE_KINDS = ['arduino', 'esp-idf', 'pico-sdk'] as const;
export type TemplateKind = (typeof TEMPLATE_KINDS)[number];

export interface TemplateLayout {
  kind: TemplateKind;
  /** Folder (relative to the output) receiving the portable sources and the generated files. */
  sourceRoot: string;
  /** Folder receiving the public umbrella header tinyser.h. */
  headerRoot: string;
  backend: 'tflm' | 'generated-c';
  /** Extension of C++ sources: the Arduino builder compiles .cpp (not .cc). */
  cppExt: '.cpp' | '.cc';
  /** CMake file (relative to the output) whose {{TINYSER_CMAKE_SOURCES}} lists the sources, relative to its folder. */
  cmakeFile?: string;
  /** What a user builds with, for messages. */
  buildHint: string;
}

export const TEMPLATE_LAYOUTS: Record<TemplateKind, TemplateLayout> = {
  arduino: {
    kind: 'arduino',
    sourceRoot: 'src',
    headerRoot: 'src',
    backend: 'tflm',
    cppExt: '.cpp',
    buildHint: 'copy the folder into your Arduino libraries folder, open File > Examples > TinyserSER > tinyser_ser',
  },
  'esp-idf': {
    kind: 'esp-idf',
    sourceRoot: 'components/tinyser/src',
    headerRoot: 'components/tinyser/include',
    backend: 'tflm',
    cppExt: '.cc',
    cmakeFile: 'components/tinyser/CMakeLists.txt',
    buildHint: 'idf.py set-target esp32s3 && idf.py build flash monitor',
  },
  'pico-sdk': {
    kind: 'pico-sdk',
    sourceRoot: 'tinyser',
    headerRoot: 'tinyser',
    backend: 'generated-c',
    cppExt: '.cc',
    cmakeFile: 'CMakeLists.txt',
    buildHint: 'cp $PICO_SDK_PATH/external/pico_sdk_import.cmake . && cmake -B build && cmake --build build',
  },
};

export function isTemplateKind(s: string): s is TemplateKind {
  return (TEMPLATE_KINDS as readonly string[]).includes(s);
}
