"""The OCR engine: RapidOCR (PP-OCRv4 detection and recognition, ONNX Runtime on the CPU).

The models ship inside the `rapidocr-onnxruntime` wheel (optional extra `nianbao[ocr]`); nothing
is downloaded at run time. One engine per process, loaded on first use, one thread (batch and
the web app run one reader per worker process).

    available() -> bool                       the extra is installed
    detect_lines(img) -> [(box, text, conf)]  text lines of a page region (detection + recognition)
    recognize(imgs, check) -> [Reading]       one text line per image, with per-character
                                              probabilities and the digits the model also considered
"""
from __future__ import annotations

import threading
from dataclasses import dataclass, field

_lock = threading.Lock()
_engine = None


def available() -> bool:
    """The extra is installed (checked without importing it: importing costs half a second)."""
    from importlib.util import find_spec
    return find_spec("rapidocr_onnxruntime") is not None and find_spec("cv2") is not None


def engine():
    global _engine
    with _lock:
        if _engine is None:
            from rapidocr_onnxruntime import RapidOCR
            _engine = RapidOCR(intra_op_num_threads=1, inter_op_num_threads=1)
    return _engine


DIGITS = "0123456789"
BATCH = 16
MIN_RATIO = 6.67


@dataclass(slots=True)
class Reading:
    """One recognised text line: text, confidence (the lowest probability of its characters) and,
    per character, the probability of each digit the model considered there (≥ 0.001)."""
    text: str
    conf: float
    chars: list[float] = field(default_factory=list)            # probability of each character
    alts: list[dict[str, float]] = field(default_factory=list)  # per character: {digit: prob}


def recognize(imgs: list, check=None) -> list[Reading]:
    """Recognise one text line per image (BGR uint8 arrays), greedy CTC decoding of the model's
    output so that the per-character probabilities and digit alternatives are kept. `check()` is
    called before each batch (the page's time limit)."""
    import numpy as np

    if not imgs:
        return []
    rec = engine().text_rec
    chars = rec.postprocess_op.character
    digit_idx = [chars.index(d) for d in DIGITS]
    out: list[Reading | None] = [None] * len(imgs)
    order = sorted(range(len(imgs)), key=lambda i: imgs[i].shape[1] / imgs[i].shape[0])
    for b in range(0, len(order), BATCH):
        if check is not None:
            check()
        idx = order[b:b + BATCH]
        # the model takes any width: a batch is as wide as its widest line (sorted by width, so
        # little padding), not the 320 px the library pads every line to
        ratio = max([MIN_RATIO] + [imgs[i].shape[1] / imgs[i].shape[0] for i in idx])
        batch = np.concatenate([rec.resize_norm_img(imgs[i], ratio)[np.newaxis, :] for i in idx])
        preds = rec.session(batch.astype(np.float32))[0]
        for i, p in zip(idx, preds):
            out[i] = _decode(p, chars, digit_idx)
    return out  # type: ignore[return-value]


def _decode(p, chars: list[str], digit_idx: list[int]) -> Reading:
    best = p.argmax(axis=1)
    text: list[str] = []
    probs: list[float] = []
    alts: list[dict[str, float]] = []
    prev = 0
    for t, k in enumerate(best):
        k = int(k)
        if k != 0 and k != prev:
            text.append(chars[k])
            probs.append(float(p[t, k]))
            alts.append({})
        if k != 0:
            # the frame where this character is most certain gives its alternatives
            if float(p[t, k]) >= probs[-1]:
                probs[-1] = float(p[t, k])
                alts[-1] = {DIGITS[j]: float(p[t, di]) for j, di in enumerate(digit_idx)
                            if p[t, di] >= 0.001}
        prev = k
    return Reading("".join(text), min(probs) if probs else 0.0, probs, alts)


def detect_lines(img) -> list[tuple[list, str, float]]:
    """Text lines of an image: (4-point box in pixels, text, confidence)."""
    res, _ = engine()(img, use_cls=False)
    return [(box, text, float(conf)) for box, text, conf in (res or [])]
