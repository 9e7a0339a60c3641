#!/usr/bin/env bash
# Reproduces docs/vanishing-gradients.md: the recall task at growing lags, SimpleRnn against LSTM (same
# seed, data, width, updater and clipping), then rnnkit diagnose on both cells at one lag.
# Takes about ten minutes on 2 cores (runs stop 3 epochs after their best validation accuracy). Run from the repository root: docs/vanishing-gradients.sh
set -euo pipefail
rnnkit=${RNNKIT:-./rnnkit}
out=${OUT:-docs/vanishing-gradients}
lags=${LAGS:-"10 20 40 80"}
epochs=${EPOCHS:-15}
cells=${CELLS:-"simple-rnn lstm"}
work=$(mktemp -d)
mkdir -p "$out"
echo "lag,cell,best_epoch,test_accuracy" > "$out/recall-accuracy.csv"
for lag in $lags; do
  for cell in $cells; do
    $rnnkit train configs/memory-recall-lstm.yaml --out "$work/$cell-$lag" --set "data.generator.length=$((lag + 1))" \
      --set "model.layers[0].type=$cell" --set "training.epochs=$epochs" --set training.earlyStopping.patience=3 > "$work/$cell-$lag.log"
    best=$(grep -o 'best epoch [0-9]* of' "$work/$cell-$lag.log" | awk '{print $3}')
    acc=$(grep -E '^ +test ' "$work/$cell-$lag.log" | grep -o 'accuracy=[0-9.]*' | cut -d= -f2)
    echo "$lag,$cell,$best,$acc" | tee -a "$out/recall-accuracy.csv"
  done
done
for cell in $cells; do
  $rnnkit diagnose configs/memory-recall-lstm.yaml --out "$work/diagnose-$cell" --set data.generator.length=81 \
    --set "model.layers[0].type=$cell" --epochs 5 | tee "$out/diagnose-$cell.txt"
  cp "$work/diagnose-$cell/gradient-flow.png" "$out/gradient-flow-$cell.png"
  cp "$work/diagnose-$cell/gradient-flow.csv" "$out/gradient-flow-$cell.csv"
done
rm -rf "$work"
