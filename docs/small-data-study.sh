#!/usr/bin/env bash
# Reproduces docs/small-data-study.md: the training options of issue 22, one at a time against each shipped
# config as it is (the baseline), over the small classification archives and seeds 1, 7, 42.
# Run from the repository root: docs/small-data-study.sh   (then docs/small-data-study.py for the table)
# Every run is `rnnkit train CONFIG --set seed=S --set ...` on one BLAS thread and one layer thread
# (training.threads: 1), as mvn verify's learning tests run, so the figures are theirs; JOBS of them run side by side.
# A run whose directory already holds metrics.json is not run again, so an interrupted study resumes.
#   CONFIGS="ecg200-lstm" VARIANTS="baseline cosine" SEEDS="42" docs/small-data-study.sh   (a part of it)
set -euo pipefail
rnnkit=${RNNKIT:-./rnnkit}
runs=${RUNS:-runs/small-data-study}
results=${RESULTS:-docs/small-data-study/results.csv}
configs=${CONFIGS:-"ecg200-lstm synthetic-control-lstm quickstart japanese-vowels-lstm basicmotions-ts-lstm arrowhead-gru"}
variants=${VARIANTS:-"baseline cosine never layernorm plateau adamw swa"}
seeds=${SEEDS:-"1 7 42"}
jobs=${JOBS:-2}
export OMP_NUM_THREADS=1
mkdir -p "$runs" "$(dirname "$results")"
[ -f "$results" ] || echo "config,variant,seed,test_accuracy,best_epoch,epochs_run,mean_abs_delta_val_accuracy,train_seconds" > "$results"

# The overrides of one option, scaled to the config's epochs (warm-up and averaging take a tenth of them).
overrides() {
  local config=$1 variant=$2
  local epochs layers tenth
  epochs=$(sed -n 's/^ *epochs: *\([0-9]*\).*/\1/p' "configs/$config.yaml" | head -n 1)
  layers=$(grep -c -- '- {type: ' "configs/$config.yaml")
  tenth=$(( epochs / 10 > 1 ? epochs / 10 : 2 ))
  case "$variant" in
    baseline) ;;
    cosine) echo "--set training.updater.schedule.type=cosine --set training.updater.schedule.warmup=$tenth" ;;
    never) echo "--set training.updaterRestart=never" ;;
    layernorm) for ((i = 0; i < layers; i++)); do echo "--set model.layers[$i].layerNorm=true"; done ;;
    adamw) echo "--set training.updater.type=adamw --set training.updater.weightDecay=0.01" ;;
    swa) echo "--set training.weightAveraging.lastEpochs=$tenth --set training.earlyStopping.patience=0 --set training.earlyStopping.restoreBest=false" ;;
    plateau) echo "--set training.updater.plateau.patience=$tenth --set training.updater.plateau.factor=0.5" ;;
    cosine-layernorm) # the UEA archives' candidate: the two options that did not lower BasicMotions or JapaneseVowels
      echo "--set training.updater.schedule.type=cosine --set training.updater.schedule.warmup=$tenth"
      for ((i = 0; i < layers; i++)); do echo "--set model.layers[$i].layerNorm=true"; done ;;
    stable) # the quickstart's candidate: warm-up and cosine, Adam's moments kept, layer normalization
      echo "--set training.updater.schedule.type=cosine --set training.updater.schedule.warmup=$tenth --set training.updaterRestart=never"
      for ((i = 0; i < layers; i++)); do echo "--set model.layers[$i].layerNorm=true"; done ;;
    *) echo "unknown variant $variant" >&2; exit 2 ;;
  esac
}

# One run: train, then append its row (test accuracy, best epoch, epochs, mean |change| of validation accuracy
# from one epoch to the next, seconds of training) to the results.
run() {
  local config=$1 variant=$2 seed=$3
  local dir="$runs/$config/$variant-$seed"
  if [ ! -f "$dir/metrics.json" ]; then
    rm -rf "$dir"; mkdir -p "$(dirname "$dir")"
    # shellcheck disable=SC2046
    if ! $rnnkit train "configs/$config.yaml" --out "$dir" --set "seed=$seed" --set training.threads=1 $(overrides "$config" "$variant") > "$dir.log" 2>&1; then
      echo "$config,$variant,$seed,failed,,,," >> "$results"
      return 0
    fi
  fi
  local acc best row
  acc=$(jq '.test.accuracy' "$dir/metrics.json")
  best=$(grep -o 'best epoch [0-9]*' "$dir.log" | awk '{print $3}' | tail -n 1 || true)
  row=$(awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) { if ($i == "validation_accuracy") v = i; if ($i == "seconds") s = i } next }
      { n++; t += $s; if (v) { if (n > 1) { d = $v - p; d = d < 0 ? -d : d; sum += d } p = $v } }
      END { printf "%d,%s,%.1f", n, (v && n > 1) ? sprintf("%.4f", sum / (n - 1)) : "", t }' "$dir/history.csv")
  echo "$config,$variant,$seed,$acc,$best,$row" >> "$results"
}
export -f run overrides
export rnnkit runs results

# Option by option, so that a study cut short still compares the options it reached on every config and seed.
for variant in $variants; do
  for config in $configs; do
    for seed in $seeds; do
      echo "$config $variant $seed"
    done
  done
done | xargs -P "$jobs" -L 1 bash -c 'run "$0" "$1" "$2"'
