"""Page images: loading, colour stamps removed, skew corrected, ink and ruling lines found.

    BGR array (decode.frame, a PDF page's pixmap)
                   ─ clean() ─▶ grey page without coloured ink: each pixel takes its brightest
                                channel, so a red (or blue) seal turns white while black print,
                                also under the seal, stays black
                   ─ deskew() ─▶ rotated so the long ruling lines are level (|angle| ≤ 5°)
                   ─ ink() ─▶ binary mask of dark pixels (Otsu)
                   ─ rulings() ─▶ horizontal and vertical ruling segments (morphological opening
                                  with kernels longer than any character), in pixels
"""
from __future__ import annotations

import math

import cv2
import numpy as np

MAX_SKEW = 5.0        # degrees: a page tilted more than this is not corrected
H_RULE_PT = 24.0      # a horizontal run of ink at least this long (pt) is a ruling line
V_RULE_PT = 13.0      # vertical: longer than a character of 10.5 pt print (a rule between two columns runs
                      # through several rows; one ruling only one row lower than this is not seen)


def clean(img) -> np.ndarray:
    """Grey image in which coloured ink (seals, signatures in red or blue) is white: each pixel
    takes its brightest channel. Black print, also under a seal, stays dark (a test on how far the
    channels lie apart would also erase the grey edges of thin rules under a seal)."""
    if img.ndim == 2:
        return img
    return img.max(axis=2)


def ink(grey) -> np.ndarray:
    _, mask = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    return mask


def print_ink(grey) -> np.ndarray:
    """The cores of printed strokes: darker than Otsu's threshold and than mid-grey (what a seal
    leaves after `clean`, its blurred rim, is lighter; the recogniser still sees the strokes'
    grey edges around the cores)."""
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, mask = cv2.threshold(grey, min(t, 120.0), 255, cv2.THRESH_BINARY_INV)
    return mask


def skew_angle(mask, px_per_pt: float) -> float:
    """Angle (degrees) of the page's long horizontal lines; 0 when there are none."""
    h, w = mask.shape
    # only long horizontal runs (rules, tilted by at most a few pixels over 10 pt) go to Hough
    mask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (int(10 * px_per_pt), 1)))
    lines = cv2.HoughLinesP(mask, 1, math.pi / 1800, threshold=max(100, w // 4),
                            minLineLength=w // 3, maxLineGap=int(3 * px_per_pt))
    if lines is None:
        return 0.0
    angles = []
    for x0, y0, x1, y1 in lines.reshape(-1, 4):
        a = math.degrees(math.atan2(y1 - y0, x1 - x0))
        if abs(a) <= MAX_SKEW:
            angles.append(a)
    if not angles:
        return 0.0
    return float(np.median(angles))


def rotate(img, angle: float):
    h, w = img.shape[:2]
    m = cv2.getRotationMatrix2D((w / 2, h / 2), angle, 1.0)
    return cv2.warpAffine(img, m, (w, h), flags=cv2.INTER_LINEAR, borderValue=255)


def deskew(grey, px_per_pt: float):
    """The grey page rotated level, and its ink mask."""
    mask = ink(grey)
    a = skew_angle(mask, px_per_pt)
    if abs(a) >= 0.05:
        grey = rotate(grey, a)
        mask = ink(grey)
    return grey, mask, a


def rulings(grey, px_per_pt: float):
    """Ruling segments: horizontal (y, x0, x1) and vertical (x, y0, y1), in pixels, and the mask
    of their pixels (to be erased before the cells' contents are read). Rules are looked for in
    everything clearly darker than the paper (a lenient threshold, a quarter of the way from Otsu's
    to white; a seal's red is lighter):
    a thin rule rasterised grey and broken by noise stays one line, where a closing would also
    join the strokes of characters into "rules"."""
    t, _ = cv2.threshold(grey, 0, 255, cv2.THRESH_BINARY_INV | cv2.THRESH_OTSU)
    _, mask = cv2.threshold(grey, t + (255 - t) / 4, 255, cv2.THRESH_BINARY_INV)
    hk = max(10, int(H_RULE_PT * px_per_pt))
    vk = max(8, int(V_RULE_PT * px_per_pt))
    hmask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (hk, 1)))
    vmask = cv2.morphologyEx(mask, cv2.MORPH_OPEN, cv2.getStructuringElement(cv2.MORPH_RECT, (1, vk)))
    hs = _segments(hmask, horizontal=True, max_thick=max(3, int(3 * px_per_pt)))
    vs = _segments(vmask, horizontal=False, max_thick=max(3, int(3 * px_per_pt)))
    return hs, vs, cv2.bitwise_or(hmask, vmask)


def _segments(mask, horizontal: bool, max_thick: int) -> list[tuple[float, float, float]]:
    n, _, stats, _ = cv2.connectedComponentsWithStats(mask, connectivity=8)
    out = []
    for i in range(1, n):
        x, y, w, h = (int(v) for v in stats[i][:4])     # Python numbers: numpy bools do not add up
        if horizontal:
            if h > max_thick:      # a filled block (a black bar, a dense heading), not a rule
                continue
            out.append((y + h / 2, float(x), float(x + w)))
        else:
            if w > max_thick:
                continue
            out.append((x + w / 2, float(y), float(y + h)))
    return out
