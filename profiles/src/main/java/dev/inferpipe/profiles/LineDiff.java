package dev.inferpipe.profiles;

import java.util.ArrayList;
import java.util.List;

/** The lines removed ({@code -}) and added ({@code +}) between two versions of a small file. */
final class LineDiff {
  private LineDiff() {}

  static List<String> between(String before, String after) {
    String[] a = before.split("\n", -1);
    String[] b = after.split("\n", -1);
    int[][] common = new int[a.length + 1][b.length + 1];
    for (int i = a.length - 1; i >= 0; i--) {
      for (int j = b.length - 1; j >= 0; j--) {
        common[i][j] =
            a[i].equals(b[j])
                ? common[i + 1][j + 1] + 1
                : Math.max(common[i + 1][j], common[i][j + 1]);
      }
    }
    List<String> changes = new ArrayList<>();
    int i = 0;
    int j = 0;
    while (i < a.length || j < b.length) {
      if (i < a.length && j < b.length && a[i].equals(b[j])) {
        i++;
        j++;
      } else if (j < b.length && (i == a.length || common[i][j + 1] >= common[i + 1][j])) {
        changes.add("+ " + b[j++]);
      } else {
        changes.add("- " + a[i++]);
      }
    }
    return changes;
  }
}
