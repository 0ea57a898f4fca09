package org.rheumalens.oversight;

/** Inverse of a symmetric positive-definite matrix by Cholesky factorisation (small matrices, plain Java). */
final class SymmetricMatrix {

  private SymmetricMatrix() {}

  static double[][] inverse(double[][] a) {
    int n = a.length;
    double[][] l = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = a[i][j];
        for (int k = 0; k < j; k++) {
          sum -= l[i][k] * l[j][k];
        }
        if (i == j) {
          if (sum <= 0) {
            throw new IllegalArgumentException("matrix is not positive definite (pivot " + i + ")");
          }
          l[i][i] = Math.sqrt(sum);
        } else {
          l[i][j] = sum / l[j][j];
        }
      }
    }
    // Invert L (lower triangular), then A^-1 = L^-T L^-1.
    double[][] li = new double[n][n];
    for (int i = 0; i < n; i++) {
      li[i][i] = 1 / l[i][i];
      for (int j = 0; j < i; j++) {
        double sum = 0;
        for (int k = j; k < i; k++) {
          sum -= l[i][k] * li[k][j];
        }
        li[i][j] = sum / l[i][i];
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j <= i; j++) {
        double sum = 0;
        for (int k = i; k < n; k++) {
          sum += li[k][i] * li[k][j];
        }
        inv[i][j] = sum;
        inv[j][i] = sum;
      }
    }
    return inv;
  }
}
