#!/usr/bin/python3
"""Reference values for rnnkit's GRU layer from PyTorch's torch.nn.GRU, in double precision.

Writes src/test/resources/io/rnnkit/nn/layers/gru_reference.json (path relative to the repository
root, which is where to run this from): for each case the weights, biases, input, initial state,
outputs, final states, and the gradients of L = sum(grad_output * output) with respect to every
parameter and to the input. GRUReferenceTest loads the weights into rnnkit's GRU and compares.

Needs Debian's python3-torch (apt-get install python3-torch); the Java tests need only the JSON.
Regenerate with:  /usr/bin/python3 src/test/python/gru_reference.py
"""
import json
import os

import torch

OUT = os.path.join("src", "test", "resources", "io", "rnnkit", "nn", "layers", "gru_reference.json")


def tolist(t):
    return t.detach().double().tolist()


def make_case(name, seed, input_size, hidden_size, num_layers, batch, steps, zero_h0):
    torch.manual_seed(seed)
    gru = torch.nn.GRU(input_size, hidden_size, num_layers=num_layers, batch_first=True).double()
    x = torch.randn(batch, steps, input_size, dtype=torch.float64, requires_grad=True)
    if zero_h0:
        h0 = torch.zeros(num_layers, batch, hidden_size, dtype=torch.float64)
    else:
        h0 = 0.5 * torch.randn(num_layers, batch, hidden_size, dtype=torch.float64)
    out, h_n = gru(x, h0)
    grad_output = torch.randn_like(out)
    (out * grad_output).sum().backward()

    layers = []
    for l in range(num_layers):
        layer = {}
        for p in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            param = getattr(gru, "%s_l%d" % (p, l))
            layer[p] = tolist(param)
            layer["grad_" + p] = tolist(param.grad)
        layers.append(layer)
    return {
        "name": name,
        "input_size": input_size,
        "hidden_size": hidden_size,
        "num_layers": num_layers,
        "batch": batch,
        "steps": steps,
        "layers": layers,
        "input": tolist(x),  # [batch][T][input]
        "h0": tolist(h0),  # [layer][batch][hidden]
        "output": tolist(out),  # [batch][T][hidden], last layer
        "h_n": tolist(h_n),  # [layer][batch][hidden]
        "grad_output": tolist(grad_output),  # [batch][T][hidden]
        "grad_input": tolist(x.grad),  # [batch][T][input]
    }


def main():
    torch.set_default_dtype(torch.float64)
    cases = [
        make_case("one_layer_zero_state", 7, 3, 5, 1, 2, 7, True),
        make_case("one_layer_initial_state", 11, 3, 5, 1, 2, 7, False),
        make_case("two_layers_zero_state", 13, 3, 5, 2, 2, 7, True),
    ]
    meta = {"torch_version": torch.__version__, "generator": "src/test/python/gru_reference.py"}
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as f:
        json.dump({"meta": meta, "cases": cases}, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
