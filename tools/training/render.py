"""Renders icons, emoji and glyphs to 32x32 gray images (docs/DATA.md): the distillation pool's
non-MNIST parts and the evaluation tasks `emoji` and `georgian`.

SVG (iconify JSON sets) is drawn with librsvg's `rsvg-convert`, many icons per sheet; glyphs
with Pillow (FreeType) from Debian's Noto fonts. Every image is drawn white (currentColor) or
in its own colours over black, turned gray with Pillow's ITU-R 601 weights, and fits a 28x28
box centred in 32x32 (as 28x28 data sets are padded) unless a variant moves or shrinks it.
"""
import hashlib, json, os, subprocess, tempfile
import numpy as np
from PIL import Image, ImageDraw, ImageFont

SIDE = 32
BOX = 28
# (box side, dx, dy): variant 0 is the plain rendering; the others move or shrink it.
VARIANTS = [(28, 0, 0), (24, 0, 0), (26, 2, 1), (26, -1, -2)]


def load_set(folder):
    """An iconify-json package folder -> (prefix, info, {name: (body, left, top, w, h)})."""
    d = json.load(open(os.path.join(folder, "icons.json"), encoding="utf-8"))
    info = json.load(open(os.path.join(folder, "info.json"), encoding="utf-8"))
    dw, dh = d.get("width", 16), d.get("height", 16)
    icons = {}
    for name, ic in d["icons"].items():
        if ic.get("hidden"):
            continue
        icons[name] = (ic["body"], ic.get("left", 0), ic.get("top", 0), ic.get("width", dw), ic.get("height", dh),
                       ic.get("rotate", 0), ic.get("hFlip", False), ic.get("vFlip", False))
    for name, al in d.get("aliases", {}).items():
        parent = al.get("parent")
        if parent in icons and name not in icons and not any(k in al for k in ("rotate", "hFlip", "vFlip")):
            icons[name] = icons[parent]
    return d.get("prefix"), info, icons


def render_svgs(items, cols=16):
    """items: list of ((body, left, top, w, h, rotate, hflip, vflip), (box, dx, dy)) -> uint8 [N,32,32]."""
    out = np.zeros((len(items), SIDE, SIDE), np.uint8)
    per_sheet = cols * cols
    with tempfile.TemporaryDirectory() as tmp:
        for s in range(0, len(items), per_sheet):
            chunk = items[s: s + per_sheet]
            rows = (len(chunk) + cols - 1) // cols
            parts = [f'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" '
                     f'width="{cols * SIDE}" height="{rows * SIDE}" color="#ffffff">'
                     f'<rect width="100%" height="100%" fill="#000000"/>']
            for i, ((body, left, top, w, h, rot, hf, vf), (box, dx, dy)) in enumerate(chunk):
                cx, cy = (i % cols) * SIDE, (i // cols) * SIDE
                scale = box / max(w, h)
                ox = cx + (SIDE - w * scale) / 2 + dx
                oy = cy + (SIDE - h * scale) / 2 + dy
                tf = f"translate({ox:.3f},{oy:.3f}) scale({scale:.5f}) translate({-left},{-top})"
                inner = body
                if rot or hf or vf:
                    t = []
                    if hf: t.append(f"translate({w + 2 * left},0) scale(-1,1)")
                    if vf: t.append(f"translate(0,{h + 2 * top}) scale(1,-1)")
                    if rot: t.append(f"rotate({90 * rot} {left + w / 2} {top + h / 2})")
                    inner = f'<g transform="{" ".join(t)}">{body}</g>'
                # Each icon in its own clip so nothing bleeds into the neighbouring cell.
                parts.append(f'<svg x="{cx}" y="{cy}" width="{SIDE}" height="{SIDE}" overflow="hidden">'
                             f'<g transform="translate({-cx},{-cy})"><g transform="{tf}">{inner}</g></g></svg>')
            parts.append("</svg>")
            svg = os.path.join(tmp, "sheet.svg")
            png = os.path.join(tmp, "sheet.png")
            with open(svg, "w", encoding="utf-8") as f:
                f.write("".join(parts))
            subprocess.run(["rsvg-convert", "-b", "black", "-o", png, svg], check=True)
            img = np.asarray(Image.open(png).convert("RGB").convert("L"))
            for i in range(len(chunk)):
                cx, cy = (i % cols) * SIDE, (i // cols) * SIDE
                out[s + i] = img[cy: cy + SIDE, cx: cx + SIDE]
    return out


def render_glyph(font_path, ch, box=BOX, dx=0, dy=0, font_cache={}):
    """One character, white on black, its ink box scaled to fit box x box, centred (+dx, dy)."""
    key = font_path
    if key not in font_cache:
        font_cache[key] = ImageFont.truetype(font_path, 96)
    font = font_cache[key]
    canvas = Image.new("L", (192, 192), 0)
    ImageDraw.Draw(canvas).text((48, 24), ch, fill=255, font=font)
    bbox = canvas.getbbox()
    if bbox is None:
        return None
    glyph = canvas.crop(bbox)
    w, h = glyph.size
    scale = box / max(w, h)
    nw, nh = max(1, round(w * scale)), max(1, round(h * scale))
    glyph = glyph.resize((nw, nh), Image.BILINEAR)
    out = Image.new("L", (SIDE, SIDE), 0)
    out.paste(glyph, ((SIDE - nw) // 2 + dx, (SIDE - nh) // 2 + dy))
    return np.asarray(out)


def has_glyph(font_path, ch, notdef_cache={}):
    """True when the font draws ch with something other than its .notdef box."""
    font = ImageFont.truetype(font_path, 48)
    if font_path not in notdef_cache:
        notdef_cache[font_path] = _ink(font, "\U0010FFFD")
    ink = _ink(font, ch)
    return ink is not None and ink != notdef_cache[font_path]


def _ink(font, ch):
    canvas = Image.new("L", (96, 96), 0)
    ImageDraw.Draw(canvas).text((16, 8), ch, fill=255, font=font)
    if canvas.getbbox() is None:
        return None
    return hashlib.sha1(canvas.tobytes()).hexdigest()
