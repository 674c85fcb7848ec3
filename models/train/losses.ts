/**
 * Training losses on logits (the layer before the model's Softmax, for numerical stability).
 * Cross-entropy carries per-example weights (class weighting for imbalance); knowledge
 * distillation is Hinton's: alpha * T^2 * KL(softmax(t/T) || softmax(s/T)) + (1 - alpha) * CE,
 * the T^2 keeping the soft term's gradient scale independent of T.
 */
import * as tf from '@tensorflow/tfjs-core';

/** sum_i w_i * CE_i / sum_i w_i, with one-hot targets [B, C] and weights [B]. */
export function weightedCrossEntropy(logits: tf.Tensor2D, oneHot: tf.Tensor2D, weights: tf.Tensor1D): tf.Scalar {
  return tf.tidy(() => {
    const ce = tf.neg(tf.sum(tf.mul(oneHot, tf.logSoftmax(logits)), 1));
    return tf.div(tf.sum(tf.mul(ce, weights)), tf.maximum(tf.sum(weights), tf.scalar(1e-8))) as tf.Scalar;
  });
}

/** T^2 * mean_i KL(softmax(teacher_i / T) || softmax(student_i / T)). */
export function distillationKl(studentLogits: tf.Tensor2D, teacherLogits: tf.Tensor2D, temperature: number): tf.Scalar {
  return tf.tidy(() => {
    const t = tf.scalar(temperature);
    const pTeacher = tf.softmax(tf.div(teacherLogits, t));
    const logPTeacher = tf.logSoftmax(tf.div(teacherLogits, t));
    const logPStudent = tf.logSoftmax(tf.div(studentLogits, t));
    const kl = tf.sum(tf.mul(pTeacher, tf.sub(logPTeacher, logPStudent)), 1);
    return tf.mul(tf.mean(kl), tf.scalar(temperature * temperature)) as tf.Scalar;
  });
}
