#!/usr/bin/env python3
"""The tables of docs/small-data-study.md from docs/small-data-study/results.csv (written by small-data-study.sh).

For each config and option: the mean test accuracy over the seeds with its range (min-max), the seeds' own
figures, and the mean change of validation accuracy from one epoch to the next (how much training lurches).
A run repeated in the file counts once (its last row). Run from the repository root: docs/small-data-study.py
"""
import csv
import sys

path = sys.argv[1] if len(sys.argv) > 1 else "docs/small-data-study/results.csv"
rows = {}
with open(path) as f:
    for r in csv.DictReader(f):
        rows[(r["config"], r["variant"], int(r["seed"]))] = r

configs = list(dict.fromkeys(k[0] for k in rows))
variants = list(dict.fromkeys(k[1] for k in rows))
for config in configs:
    print(f"\n#### {config}\n")
    print("| option | test accuracy, mean (min–max) | per seed | mean \\|Δ val accuracy\\| | best epoch per seed |")
    print("|---|---|---|---|---|")
    base = None
    for variant in variants:
        runs = sorted((k[2], r) for k, r in rows.items() if k[0] == config and k[1] == variant)
        if not runs:
            continue
        if any(r["test_accuracy"] == "failed" for _, r in runs):
            print(f"| {variant} | refused or failed | | | |")
            continue
        acc = [float(r["test_accuracy"]) for _, r in runs]
        mean = sum(acc) / len(acc)
        if variant == "baseline":
            base = mean
        delta = "" if base is None or variant == "baseline" else f" ({mean - base:+.3f})"
        lurch = [float(r["mean_abs_delta_val_accuracy"]) for _, r in runs if r["mean_abs_delta_val_accuracy"]]
        lurch_text = f"{sum(lurch) / len(lurch):.3f}" if lurch else "no validation split"
        seeds = " / ".join(f"{s}: {a:.3f}" for (s, _), a in zip(runs, acc))
        best = " / ".join(r["best_epoch"] or "–" for _, r in runs)
        print(f"| {variant} | {mean:.3f}{delta} ({min(acc):.3f}–{max(acc):.3f}) | {seeds} | {lurch_text} | {best} |")
