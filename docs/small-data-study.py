#!/usr/bin/env python3
"""The tables of docs/small-data-study.md from docs/small-data-study/results.csv (written by small-data-study.sh).

For each config and option: the mean test accuracy over the seeds with its range (min-max) and spread (max - min),
the seeds' own figures, and the mean change of validation accuracy from one epoch to the next (how much training
lurches). Then, across configs, each option's change of mean test accuracy against the config's baseline and how
many (config, seed) pairs it raised, left equal or lowered: the evidence for a default.
A run repeated in the file counts once (its last row). Run from the repository root: docs/small-data-study.py [CSV]
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


def accuracy(config, variant):
    """{seed: test accuracy} of the finished runs, None when one failed or was refused."""
    runs = {k[2]: r for k, r in rows.items() if k[0] == config and k[1] == variant}
    if any(r["test_accuracy"] == "failed" for r in runs.values()):
        return None
    return {s: float(r["test_accuracy"]) for s, r in runs.items()}


for config in configs:
    print(f"\n#### {config}\n")
    print("| option | test accuracy, mean (min–max) | spread | per seed | mean \\|Δ val accuracy\\| | best epoch per seed |")
    print("|---|---|---|---|---|---|")
    base = None
    for variant in variants:
        runs = sorted((k[2], r) for k, r in rows.items() if k[0] == config and k[1] == variant)
        if not runs:
            continue
        if accuracy(config, variant) is None:
            print(f"| {variant} | refused or failed | | | | |")
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
        print(f"| {variant} | {mean:.3f}{delta} ({min(acc):.3f}–{max(acc):.3f}) | {max(acc) - min(acc):.3f} | {seeds} | {lurch_text} | {best} |")

print("\n#### Each option against the baseline, across configs (seeds both were run on)\n")
print("| option | change of mean test accuracy per config | seeds raised / equal / lowered |")
print("|---|---|---|")
for variant in variants:
    if variant == "baseline":
        continue
    changes, up, same, down = [], 0, 0, 0
    for config in configs:
        base, opt = accuracy(config, "baseline"), accuracy(config, variant)
        if not base or opt is None:
            if opt is None and base:
                changes.append(f"{config} refused")
            continue
        seeds = sorted(set(base) & set(opt))
        if not seeds:
            continue
        d = [opt[s] - base[s] for s in seeds]
        up += sum(x > 1e-9 for x in d)
        down += sum(x < -1e-9 for x in d)
        same += sum(abs(x) <= 1e-9 for x in d)
        changes.append(f"{config} {sum(d) / len(d):+.3f} ({len(seeds)})")
    print(f"| {variant} | {'; '.join(changes)} | {up} / {same} / {down} |")
