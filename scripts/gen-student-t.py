#!/usr/bin/env python3
"""Reference values for goodput's exact Student-t quantile, t CDF and Welch test.

Writes test/fixtures/student-t.json from SciPy (an independent implementation), so that
test/core/stats/student-t.test.ts and welch.test.ts check goodput's own maths against it.
Run from the project root:  python3 scripts/gen-student-t.py   (needs python3-scipy; the
output is then formatted by the project's biome so `biome check` passes)
"""
import json
import os
import subprocess

import numpy as np
import scipy
from scipy import stats

DENSE_P = [0.95, 0.975, 0.995]
SPARSE_P = [0.5, 0.6, 0.75, 0.9, 0.95, 0.975, 0.99, 0.995, 0.999, 0.9995, 0.025, 0.001]
SPARSE_DF = [1, 1.5, 2, 2.5, 3, 4, 5, 7.3, 10, 29, 30, 31, 60, 120, 250.5, 1000, 5000, 1e5]
CDF_T = [-40.0, -3.0, -1.0, -0.1, 0.0, 0.5, 1.0, 2.0, 2.5, 4.0, 10.0, 100.0]
CDF_DF = [1, 2, 3, 4.5, 9, 30, 200, 1000]

# Per-repeat samples (the shape goodput compares: 3..10 values per side).
WELCH_CASES = [
    ([130.0, 135.0, 127.0], [140.0, 150.0, 145.0]),
    ([1.2, 1.0909090909090908, 1.263157894736842], [1.3, 1.25, 1.4, 1.35]),
    ([10.0, 10.5, 9.8, 10.1, 10.2], [10.0, 10.4, 9.9, 10.3, 10.0]),
    ([100.0, 101.0, 99.0], [200.0, 230.0, 170.0, 260.0, 150.0, 190.0, 210.0]),
    ([5.0, 6.0, 7.0, 8.0, 9.0, 10.0], [5.5, 6.5, 7.5]),
]


def main() -> None:
    quantiles = []
    for df in range(1, 1001):
        for p in DENSE_P:
            quantiles.append([df, p, float(stats.t.ppf(p, df))])
    for df in SPARSE_DF:
        for p in SPARSE_P:
            if p in DENSE_P and float(df).is_integer() and df <= 1000:
                continue
            quantiles.append([df, p, float(stats.t.ppf(p, df))])
    cdf = [[t, df, float(stats.t.cdf(t, df))] for df in CDF_DF for t in CDF_T]
    welch = []
    for a, b in WELCH_CASES:
        # goodput reports t for B − A, SciPy for its first argument minus its second.
        res = stats.ttest_ind(b, a, equal_var=False)
        va = np.var(a, ddof=1) / len(a)
        vb = np.var(b, ddof=1) / len(b)
        df = (va + vb) ** 2 / (va**2 / (len(a) - 1) + vb**2 / (len(b) - 1))
        welch.append({"a": a, "b": b, "t": float(res.statistic), "df": float(df), "p_value": float(res.pvalue)})
    out = {
        "generator": f"scripts/gen-student-t.py with scipy {scipy.__version__}, numpy {np.__version__}",
        "quantiles": quantiles,
        "cdf": cdf,
        "welch": welch,
    }
    path = os.path.join(os.path.dirname(__file__), "..", "test", "fixtures", "student-t.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, separators=(",", ":"))
        f.write("\n")
    # the project's formatter owns the layout of JSON under test/ (biome check must pass)
    subprocess.run(["npx", "biome", "format", "--write", path], check=True, capture_output=True)
    print(f"wrote {len(quantiles)} quantiles, {len(cdf)} cdf values, {len(welch)} welch cases to {path}")


if __name__ == "__main__":
    main()
