"""PyTorch reference timings for `rheumalens bench`.

Builds the grading network from the NetworkSpec JSON that the Java side passes, so both sides run the same shapes and
FLOPs, then times batch-1 inference and training steps the way the Java side does. Prints one JSON line on stdout.
Inputs are random: the cost of a dense network does not depend on pixel values.
"""
import argparse
import json
import statistics
import time

import torch
from torch import nn
from torch.nn import functional as F


def conv(cin, cout, kernel, stride):
    return nn.Conv2d(cin, cout, kernel, stride=stride, padding=kernel // 2, bias=False)


class BasicUnit(nn.Module):
    """Two 3x3 convolutions plus a shortcut (projected when the shape changes), ReLU after the sum."""

    def __init__(self, cin, cout, stride):
        super().__init__()
        self.residual = nn.Sequential(
            conv(cin, cout, 3, stride), nn.BatchNorm2d(cout), nn.ReLU(),
            conv(cout, cout, 3, 1), nn.BatchNorm2d(cout))
        project = stride != 1 or cin != cout
        self.shortcut = nn.Sequential(conv(cin, cout, 1, stride), nn.BatchNorm2d(cout)) if project else nn.Identity()

    def forward(self, x):
        return F.relu(self.residual(x) + self.shortcut(x))


def build(spec):
    widths, blocks = spec["widths"], spec["blocksPerStage"]
    layers = [conv(spec["inputChannels"], widths[0], 7, 2), nn.BatchNorm2d(widths[0]), nn.ReLU(),
              nn.MaxPool2d(3, 2, 1)]
    cin = widths[0]
    for stage, (width, units) in enumerate(zip(widths, blocks)):
        for unit in range(units):
            layers.append(BasicUnit(cin, width, 2 if stage > 0 and unit == 0 else 1))
            cin = width
    layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten()]
    if spec["dropout"] > 0:
        layers.append(nn.Dropout(spec["dropout"]))
    layers.append(nn.Linear(cin, spec["classes"]))
    return nn.Sequential(*layers)


def timed_ms(warmup, runs, call):
    for _ in range(warmup):
        call()
    samples = []
    for _ in range(runs):
        start = time.perf_counter_ns()
        call()
        samples.append((time.perf_counter_ns() - start) / 1e6)
    return samples


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--spec", required=True, help="NetworkSpec as JSON")
    parser.add_argument("--input-size", type=int, required=True)
    parser.add_argument("--threads", type=int, required=True)
    parser.add_argument("--latency-warmup", type=int, default=20)
    parser.add_argument("--latency-runs", type=int, default=100)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--train-warmup", type=int, default=2)
    parser.add_argument("--train-steps", type=int, default=8)
    parser.add_argument("--lr", type=float, default=1.5e-3)
    parser.add_argument("--weight-decay", type=float, default=1e-4)
    args = parser.parse_args()
    spec = json.loads(args.spec)

    torch.set_num_threads(args.threads)
    torch.manual_seed(42)
    model = build(spec)
    size = (spec["inputChannels"], args.input_size, args.input_size)

    # Like GradingModel.predict: forward, softmax, probabilities copied out of the tensor.
    model.eval()
    one = torch.randn(1, *size)
    with torch.no_grad():
        inference = timed_ms(args.latency_warmup, args.latency_runs, lambda: torch.softmax(model(one), 1).numpy())

    # Like GradingTrainer.trainStep: forward, loss, backward, Adam step, loss read back.
    model.train()
    optimizer = torch.optim.Adam(model.parameters(), lr=args.lr, weight_decay=args.weight_decay)
    batch = torch.randn(args.batch, *size)
    labels = torch.randint(0, spec["classes"], (args.batch,))

    def train_step():
        optimizer.zero_grad(set_to_none=True)
        loss = F.cross_entropy(model(batch), labels)
        loss.backward()
        optimizer.step()
        return loss.item()

    training = timed_ms(args.train_warmup, args.train_steps, train_step)
    print(json.dumps({
        "torch_version": torch.__version__,
        "threads": torch.get_num_threads(),
        "model_ms_median": statistics.median(inference),
        "model_ms_p90": sorted(inference)[max(0, -(-9 * len(inference) // 10) - 1)],
        "train_step_ms_median": statistics.median(training),
    }))


if __name__ == "__main__":
    main()
