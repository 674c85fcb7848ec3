#!/usr/bin/python3
"""Export the small ONNX fixtures of the compiler tests (run by hand, not in CI).

Needs Debian's python3-torch and python3-onnx (`apt-get install -y --no-install-recommends
python3-torch python3-onnx`); run it with /usr/bin/python3 (another python may be first on PATH):

    /usr/bin/python3 scripts/export_onnx_fixtures.py

Every model takes features shaped [1, 1, T=49, F=40] (one clip of 49 frames x 40 mel bands, the
layout of the tinyser frontend) and is briefly trained on a seeded synthetic 4-class task, so that
its logits have real margins and its BatchNorm statistics are real (random weights give near-tied
logits and a meaningless top-1 test). Outputs in test/fixtures/onnx/:

    <model>.onnx                opset 13, BatchNormalization kept as separate nodes
    inputs.int8.bin             250 x 49 x 40 int8; float feature = int8 * INPUT_SCALE.
                                0..49 are for calibration, 50..249 are the 200 evaluation inputs
    <model>.ref.f32.bin         torch float32 outputs for the 250 inputs, [250, classes]
    manifest.json               shapes, scale, classes, seeds

`--only conv_transpose` exports just the transposed-convolution fixture (conv encoder, ConvTranspose
decoder, classifier head) from the committed inputs.int8.bin, leaving every other file untouched:

    conv_transpose.onnx, conv_transpose.ref.f32.bin, conv_transpose.manifest.json
"""
import json
import os
import sys

import numpy as np
import torch
import torch.nn as nn

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'test', 'fixtures', 'onnx')
T, F, CLASSES = 49, 40, 4
INPUT_SCALE = 1.0 / 16.0
N_CALIB, N_EVAL = 50, 200
SEED = 20251123


def synth_batch(rng: np.random.Generator, n: int):
    """Class patterns a small CNN can separate: low band, high band, temporal beat, sweep."""
    x = rng.normal(0.0, 0.6, size=(n, 1, T, F)).astype(np.float32)
    y = rng.integers(0, CLASSES, size=n)
    t = np.arange(T)[:, None]
    f = np.arange(F)[None, :]
    for i in range(n):
        amp = rng.uniform(1.2, 2.8)
        k = y[i]
        if k == 0:
            p = np.exp(-((f - rng.uniform(4, 10)) ** 2) / 18.0) * np.ones_like(t)
        elif k == 1:
            p = np.exp(-((f - rng.uniform(28, 36)) ** 2) / 18.0) * np.ones_like(t)
        elif k == 2:
            p = (np.sin(t * rng.uniform(0.8, 1.2)) > 0).astype(np.float32) * np.exp(-((f - 20) ** 2) / 60.0)
        else:
            start = rng.uniform(0, 10)
            p = np.exp(-((f - (start + t * 0.5)) ** 2) / 8.0)
        x[i, 0] += (amp * p).astype(np.float32)
    # the int8 grid of the fixture inputs: quantise so the committed bytes reproduce the references
    q = np.clip(np.round(x / INPUT_SCALE), -128, 127).astype(np.int8)
    return q, y


class CnnBn(nn.Module):
    """Plain CNN with BatchNorm after every conv, ReLU / ReLU6, max pooling."""

    def __init__(self):
        super().__init__()
        self.f = nn.Sequential(
            nn.Conv2d(1, 8, 3, padding=1), nn.BatchNorm2d(8), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(8, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 24, 3, padding=1, stride=2), nn.BatchNorm2d(24), nn.ReLU6(),
        )
        self.head = nn.Linear(24 * 6 * 5, CLASSES)

    def forward(self, x):
        return self.head(torch.flatten(self.f(x), 1))


class DsCnn(nn.Module):
    """DS-CNN (keyword-spotting style): strided stem, depthwise + pointwise blocks, global pool."""

    def __init__(self, c=24):
        super().__init__()
        layers = [nn.Conv2d(1, c, (5, 3), stride=(2, 2), padding=(2, 1)), nn.BatchNorm2d(c), nn.ReLU()]
        for _ in range(2):
            layers += [nn.Conv2d(c, c, 3, padding=1, groups=c), nn.BatchNorm2d(c), nn.ReLU(),
                       nn.Conv2d(c, c, 1), nn.BatchNorm2d(c), nn.ReLU()]
        layers += [nn.AvgPool2d(2)]
        self.f = nn.Sequential(*layers)
        self.pool = nn.AdaptiveAvgPool2d(1)
        self.head = nn.Linear(c, CLASSES)

    def forward(self, x):
        return self.head(torch.flatten(self.pool(self.f(x)), 1))


class ResConcat(nn.Module):
    """Residual Add, a two-branch Concat, LeakyReLU, mean over time/frequency, softmax output."""

    def __init__(self):
        super().__init__()
        self.stem = nn.Sequential(nn.Conv2d(1, 12, 3, padding=1, stride=2), nn.BatchNorm2d(12), nn.ReLU())
        self.r1 = nn.Sequential(nn.Conv2d(12, 12, 3, padding=1), nn.BatchNorm2d(12), nn.ReLU(),
                                nn.Conv2d(12, 12, 3, padding=1), nn.BatchNorm2d(12))
        self.b1 = nn.Conv2d(12, 8, 1)
        self.b2 = nn.Sequential(nn.Conv2d(12, 8, 3, padding=1), nn.LeakyReLU(0.1))
        self.pool = nn.MaxPool2d(2)
        self.fc1 = nn.Linear(16, 16)
        self.fc2 = nn.Linear(16, CLASSES)

    def forward(self, x):
        x = self.stem(x)
        x = torch.relu(x + self.r1(x))
        x = torch.cat([self.b1(x), self.b2(x)], dim=1)
        x = self.pool(x)
        x = x.mean(dim=(2, 3))
        x = torch.relu(self.fc1(x))
        return torch.softmax(self.fc2(x), dim=1)


class ConvTransposeNet(nn.Module):
    """Conv encoder, ConvTranspose decoder (two ConvTransposes, the PyTorch paddings TFLite cannot
    take as they are: k3 s2 p1 output_padding 1, and k4 s2 p1), pooled classifier head."""

    def __init__(self):
        super().__init__()
        self.enc = nn.Sequential(
            nn.Conv2d(1, 8, 3, stride=2, padding=1), nn.BatchNorm2d(8), nn.ReLU(),       # 25 x 20
            nn.Conv2d(8, 16, 3, stride=2, padding=1), nn.BatchNorm2d(16), nn.ReLU(),     # 13 x 10
        )
        self.dec = nn.Sequential(
            nn.ConvTranspose2d(16, 8, 3, stride=2, padding=1, output_padding=1), nn.BatchNorm2d(8), nn.ReLU(),  # 26 x 20
            nn.ConvTranspose2d(8, 8, 4, stride=2, padding=1), nn.ReLU(),                  # 52 x 40
        )
        self.pool = nn.MaxPool2d(4)                                                       # 13 x 10
        self.head = nn.Linear(8, CLASSES)

    def forward(self, x):
        x = self.pool(self.dec(self.enc(x)))
        return self.head(x.mean(dim=(2, 3)))


def export_conv_transpose():
    """Only the ConvTranspose fixture, on the committed inputs (existing fixtures stay byte-identical)."""
    torch.manual_seed(SEED + 7)
    rng = np.random.default_rng(SEED + 7)
    inputs = np.fromfile(os.path.join(OUT, 'inputs.int8.bin'), dtype=np.int8).reshape(N_CALIB + N_EVAL, 1, T, F)
    _, labels = synth_batch(np.random.default_rng(SEED + 1), N_CALIB + N_EVAL)
    xin = torch.from_numpy(inputs.astype(np.float32) * INPUT_SCALE)
    name, model = 'conv_transpose', ConvTransposeNet()
    loss = train(model, rng)
    with torch.no_grad():
        ref = model(xin).numpy().astype(np.float32)
    acc = float((ref.argmax(1) == labels).mean())
    ref.tofile(os.path.join(OUT, f'{name}.ref.f32.bin'))
    torch.onnx.export(model, xin[:1], os.path.join(OUT, f'{name}.onnx'), opset_version=13, input_names=['features'],
                      output_names=['scores'], training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
    params = sum(p.numel() for p in model.parameters())
    manifest = {'inputShape': [1, 1, T, F], 'inputScale': INPUT_SCALE, 'inputFile': 'inputs.int8.bin',
                'calibration': [0, N_CALIB], 'evaluation': [N_CALIB, N_CALIB + N_EVAL], 'seed': SEED + 7,
                'models': {name: {'file': f'{name}.onnx', 'reference': f'{name}.ref.f32.bin', 'classes': CLASSES,
                                  'softmaxOutput': False, 'params': params, 'trainLoss': loss, 'floatAccuracy': acc}}}
    with open(os.path.join(OUT, f'{name}.manifest.json'), 'w') as fh:
        json.dump(manifest, fh, indent=1)
    print(f'{name}: params {params}, final loss {loss:.3f}, float accuracy {acc:.3f}')


def train(model: nn.Module, rng: np.random.Generator, steps=150, softmax_out=False):
    opt = torch.optim.Adam(model.parameters(), lr=3e-3)
    model.train()
    for _ in range(steps):
        q, y = synth_batch(rng, 32)
        x = torch.from_numpy(q.astype(np.float32) * INPUT_SCALE)
        out = model(x)
        logits = torch.log(out + 1e-9) if softmax_out else out
        loss = nn.functional.cross_entropy(logits, torch.from_numpy(y))
        opt.zero_grad()
        loss.backward()
        opt.step()
    model.eval()
    return float(loss)


def main():
    os.makedirs(OUT, exist_ok=True)
    torch.manual_seed(SEED)
    rng = np.random.default_rng(SEED)
    inputs, labels = synth_batch(np.random.default_rng(SEED + 1), N_CALIB + N_EVAL)
    inputs.tofile(os.path.join(OUT, 'inputs.int8.bin'))
    xin = torch.from_numpy(inputs.astype(np.float32) * INPUT_SCALE)
    manifest = {'inputShape': [1, 1, T, F], 'inputScale': INPUT_SCALE, 'inputFile': 'inputs.int8.bin',
                'calibration': [0, N_CALIB], 'evaluation': [N_CALIB, N_CALIB + N_EVAL],
                'labels': labels.tolist(), 'seed': SEED, 'models': {}}
    for name, model, sm in [('cnn_bn', CnnBn(), False), ('ds_cnn', DsCnn(), False), ('res_concat', ResConcat(), True)]:
        loss = train(model, rng, softmax_out=sm)
        with torch.no_grad():
            ref = model(xin).numpy().astype(np.float32)
        acc = float((ref.argmax(1) == labels).mean())
        ref.tofile(os.path.join(OUT, f'{name}.ref.f32.bin'))
        path = os.path.join(OUT, f'{name}.onnx')
        # TrainingMode.PRESERVE on an eval-mode model keeps BatchNormalization nodes (EVAL would let
        # the exporter fold them into the convolutions, and the compiler's folding pass is what we test)
        torch.onnx.export(model, xin[:1], path, opset_version=13, input_names=['features'], output_names=['scores'],
                          training=torch.onnx.TrainingMode.PRESERVE, do_constant_folding=False)
        params = sum(p.numel() for p in model.parameters())
        manifest['models'][name] = {'file': f'{name}.onnx', 'reference': f'{name}.ref.f32.bin', 'classes': CLASSES,
                                    'softmaxOutput': sm, 'params': params, 'trainLoss': loss, 'floatAccuracy': acc}
        print(f'{name}: params {params}, final loss {loss:.3f}, float accuracy {acc:.3f}')
    with open(os.path.join(OUT, 'manifest.json'), 'w') as fh:
        json.dump(manifest, fh, indent=1)


if __name__ == '__main__':
    if sys.argv[1:] == ['--only', 'conv_transpose']:
        export_conv_transpose()
    else:
        main()
