"""Train a linear adapter on cached e5 embeddings for the story score, one per held-out fold.

    python scripts/probe_stories.py --cache out/embeddings --dump-arrays arrays.npz
    torchvenv/bin/python scripts/train_story_adapter.py arrays.npz adapter.npz --kind diag --l2 0.001
    python scripts/probe_stories.py --cache out/embeddings --adapter adapter.npz

The adapter maps each unit head/body vector ``x`` to ``x @ W`` before the cosine: ``diag``
(one scale per dimension, 384 parameters, pulled towards 1) or ``full`` (a 384 × 384 matrix
pulled towards the identity). It is trained jointly with the weights of the two cosines (and the
``cross`` flag) by weighted logistic loss on the same pairs as ``calibrate_stories.py``: ECB+
pairs within a topic (same event or not, balanced) plus every 50th pair across topics, and
SemEval pairs with soft targets ``(4 - overall) / 3``, each set weighing 1.

Written matrices: ``all`` (every pair), ``ecb0``…``ecb4`` (without the topics of that ECB+ fold,
the folds of ``calibrate_stories.py``) and ``lang_XX`` (without the SemEval pairs of that
language), so that ``probe_stories.py --adapter`` reports only held-out numbers. Torch is needed
for training only (a separate venv); nothing in the product reads these files.
"""

from __future__ import annotations

import argparse
import itertools
import sys
from pathlib import Path

import numpy as np
import torch


def main(argv: list[str] | None = None) -> int:
    """Train the adapters and write them."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("arrays", type=Path)
    parser.add_argument("out", type=Path)
    parser.add_argument("--kind", choices=["diag", "full"], default="diag")
    parser.add_argument("--l2", type=float, default=1e-3, help="pull towards the identity")
    parser.add_argument("--steps", type=int, default=300)
    args = parser.parse_args(argv)
    torch.manual_seed(0)
    torch.set_num_threads(1)
    a = np.load(args.arrays)
    eh, eb, ecl, etop = (torch.tensor(a["eh"]), torch.tensor(a["eb"]), a["ecl"], a["etop"])
    sh, sb, p1, p2, pov, plang, slang = (
        torch.tensor(a["sh"]),
        torch.tensor(a["sb"]),
        a["p1"],
        a["p2"],
        a["pov"],
        a["plang"],
        a["slang"],
    )
    dim = eh.shape[1]
    topics = sorted(set(etop.tolist()), key=lambda t: (len(t), t))
    folds = [topics[i::5] for i in range(5)]
    bce = torch.nn.functional.binary_cross_entropy_with_logits

    def train(without_topics: list[str], without_lang: str | None) -> np.ndarray:
        keep = [i for i in range(len(etop)) if etop[i] not in without_topics]
        rows = [
            (x, y)
            for n, (x, y) in enumerate(itertools.combinations(keep, 2))
            if etop[x] == etop[y] or n % 50 == 0
        ]
        ei = torch.tensor([x for x, _ in rows])
        ej = torch.tensor([y for _, y in rows])
        ey = torch.tensor([float(ecl[x] == ecl[y]) for x, y in rows])
        ew = torch.where(ey > 0.5, 0.5 / ey.sum(), 0.5 / (1 - ey).sum())
        sel = np.array([lang != without_lang for lang in plang])
        si, sj = torch.tensor(p1[sel]), torch.tensor(p2[sel])
        sy = torch.tensor(np.clip((4 - pov[sel]) / 3, 0, 1), dtype=torch.float32)
        cross = torch.tensor(slang[p1[sel]] != slang[p2[sel]], dtype=torch.float32)
        sw = torch.full((len(si),), 1.0 / len(si))
        eye = torch.eye(dim)
        w = torch.nn.Parameter(torch.ones(dim) if args.kind == "diag" else eye.clone())
        head = torch.nn.Parameter(torch.tensor([16.0, 23.0, 1.3, -35.0]))
        opt = torch.optim.Adam([w, head], lr=0.01 if args.kind == "diag" else 0.003)

        def proj(x: torch.Tensor) -> torch.Tensor:
            return torch.nn.functional.normalize(x * w if args.kind == "diag" else x @ w, dim=1)

        for _ in range(args.steps):
            opt.zero_grad()
            h, b, h2, b2 = proj(eh), proj(eb), proj(sh), proj(sb)
            ze = head[0] * (h[ei] * h[ej]).sum(1) + head[1] * (b[ei] * b[ej]).sum(1) + head[3]
            zs = head[0] * (h2[si] * h2[sj]).sum(1) + head[1] * (b2[si] * b2[sj]).sum(1)
            zs = zs + head[2] * cross + head[3]
            reg = ((w - 1) ** 2).sum() if args.kind == "diag" else ((w - eye) ** 2).sum()
            loss = (bce(ze, ey, reduction="none") * ew).sum() + (bce(zs, sy, reduction="none") * sw).sum()
            (loss + args.l2 * reg).backward()
            opt.step()
        with torch.no_grad():
            return (torch.diag(w) if args.kind == "diag" else w).numpy().copy()

    out = {"all": train([], None)}
    for k, fold in enumerate(folds):
        out[f"ecb{k}"] = train(fold, None)
    for lang in sorted(set(plang.tolist())):
        out[f"lang_{lang}"] = train([], lang)
    np.savez(args.out, **out)
    print(f"wrote {args.out} ({len(out)} matrices)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
