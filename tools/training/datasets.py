"""Builds the distillation pool and the rendered evaluation tasks (docs/DATA.md), into .data/.

  python3 tools/training/datasets.py tasks   # .data/tasks/{emoji,georgian,armenian}/
  python3 tools/training/datasets.py pool    # .data/pool/pool_images.npy (uint8 [N,32,32]) + pool.json

Deterministic (fixed seeds, sorted inputs). Needs tools/fetch-data.sh (iconify sets, official
Fashion-MNIST, MNIST) and the Debian fonts-noto-core/-extra and librsvg2-bin packages
(tools/training/setup.sh). The tasks' classes are kept out of the pool: no emoji of the emoji
task, no Georgian or Armenian glyph, and no digit glyph (MNIST).
"""
import argparse, glob, gzip, json, os, struct, sys
import numpy as np

import render

REPO = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
FONTS = "/usr/share/fonts/truetype/noto"

EMOJI_SETS = ["emojione", "emojione-monotone", "emojione-v1", "fluent-emoji", "fluent-emoji-flat",
              "fluent-emoji-high-contrast", "fxemoji", "noto", "noto-v1", "openmoji", "streamline-emojis", "twemoji"]
ICON_SETS = ["bi", "carbon", "game-icons", "lucide", "mdi", "ph", "ri", "tabler"]
EMOJI_CLASSES = 50
EMOJI_MIN_SETS = 10
EMOJI_TEST_STYLES = 3

# Glyph tasks: a script left out of the pool, one class per letter, fonts are the shots.
GLYPH_TASKS = {
    "georgian": ("Georgian", [chr(c) for c in range(0x10D0, 0x10F1)]),           # Mkhedruli, 33 letters
    "armenian": ("Armenian", [chr(c) for c in range(0x0561, 0x0587)]),           # small letters, 38
}
GLYPH_TEST_FONTS = 18
GLYPH_PLACEMENTS = 2
# Pool glyphs: other scripts (no digits: MNIST is an evaluation task).
POOL_SCRIPTS = {
    "": [chr(c) for c in list(range(0x41, 0x5B)) + list(range(0x61, 0x7B)) + list(range(0x391, 0x3AA)) +
         list(range(0x3B1, 0x3CA)) + list(range(0x410, 0x450))],                  # Latin, Greek, Cyrillic
    "Hebrew": [chr(c) for c in range(0x5D0, 0x5EB)],
    "Arabic": [chr(c) for c in range(0x627, 0x64B)],
    "Devanagari": [chr(c) for c in range(0x905, 0x93A)],
    "Bengali": [chr(c) for c in range(0x985, 0x9BA)],
    "Thai": [chr(c) for c in range(0xE01, 0xE2F)],
    "Tamil": [chr(c) for c in range(0xB85, 0xBBA)],
    "Ethiopic": [chr(c) for c in range(0x1200, 0x1260)],
    "Cherokee": [chr(c) for c in range(0x13A0, 0x13F5)],
    "Khmer": [chr(c) for c in range(0x1780, 0x17B4)],
    "Kannada": [chr(c) for c in range(0xC85, 0xCBA)],
    "Gujarati": [chr(c) for c in range(0xA85, 0xABA)],
}
POOL = {"fashion": 15000, "mnist": 5000, "icons": 12000, "emoji": 4000, "glyphs": 4000}


def data_root():
    return os.environ.get("MICROT_DATA") or os.path.join(REPO, ".data")


def emoji_sets():
    return {s: render.load_set(os.path.join(data_root(), "iconify", s)) for s in EMOJI_SETS}


def emoji_task_classes(sets):
    counts = {}
    for _, _, icons in sets.values():
        for n in icons:
            counts[n] = counts.get(n, 0) + 1
    names = sorted(n for n, c in counts.items()
                   if c >= EMOJI_MIN_SETS and "skin-tone" not in n and not n.startswith("flag") and "keycap" not in n)
    rng = np.random.default_rng(14)
    return sorted(rng.choice(names, EMOJI_CLASSES, replace=False).tolist())


def fonts_for(script):
    if script == "":
        pats = ["NotoSans-*.ttf", "NotoSerif-*.ttf", "NotoSansDisplay-*.ttf", "NotoSerifDisplay-*.ttf"]
    else:
        pats = [f"NotoSans{script}-*.ttf", f"NotoSerif{script}-*.ttf"]
    return sorted(f for p in pats for f in glob.glob(os.path.join(FONTS, p)))


def write_task(folder, name, class_names, train, test):
    """train/test: lists of (label, uint8 [32,32]). Files: train.mtt, test.mtt, classes.txt."""
    os.makedirs(folder, exist_ok=True)
    for split, rows in (("train", train), ("test", test)):
        labels = np.array([r[0] for r in rows], np.int32)
        pixels = np.stack([r[1] for r in rows]).astype(np.uint8)
        tmp = os.path.join(folder, split + ".mtt.tmp")
        with open(tmp, "wb") as f:
            f.write(b"MTT8" + struct.pack("<5i", 1, render.SIDE, render.SIDE, len(rows), len(class_names)))
            f.write(labels.tobytes())
            f.write(pixels.tobytes())
        os.replace(tmp, os.path.join(folder, split + ".mtt"))
    with open(os.path.join(folder, "classes.txt"), "w", encoding="utf-8") as f:
        f.write("\n".join(class_names) + "\n")
    print(f"task {name}: {len(class_names)} classes, {len(train)} train, {len(test)} test -> {folder}")


def build_emoji_task(sets, out):
    classes = emoji_task_classes(sets)
    rng = np.random.default_rng(15)
    train_items, test_items, train_labels, test_labels = [], [], [], []
    for label, name in enumerate(classes):
        styles = [s for s in EMOJI_SETS if name in sets[s][2]]
        held = set(rng.choice(styles, EMOJI_TEST_STYLES, replace=False).tolist())
        for s in styles:
            for v in render.VARIANTS:
                (test_items if s in held else train_items).append((sets[s][2][name], v))
                (test_labels if s in held else train_labels).append(label)
    train = render.render_svgs(train_items)
    test = render.render_svgs(test_items)
    write_task(os.path.join(out, "emoji"), "emoji", classes,
               list(zip(train_labels, train)), list(zip(test_labels, test)))
    return classes


def build_glyph_task(name, out):
    script, chars = GLYPH_TASKS[name]
    fonts = [f for f in fonts_for(script) if all(render.has_glyph(f, c) for c in chars[:3])]
    rng = np.random.default_rng(16)
    held = set(rng.choice(fonts, GLYPH_TEST_FONTS, replace=False).tolist())
    # Each (font, letter) twice, at a random size (box 18..28) and offset (up to 3 pixels, kept
    # inside the frame): the placement varies as in a camera frame, not only the font.
    place = np.random.default_rng(17)
    train, test = [], []
    for label, ch in enumerate(chars):
        for f in fonts:
            for _ in range(GLYPH_PLACEMENTS):
                box = int(place.integers(18, 29))
                room = min(3, (render.SIDE - box) // 2)
                dx, dy = (int(v) for v in place.integers(-room, room + 1, 2))
                img = render.render_glyph(f, ch, box, dx, dy)
                if img is not None:
                    (test if f in held else train).append((label, img))
    names = [f"U+{ord(c):04X} {c}" for c in chars]
    write_task(os.path.join(out, name), name, names, train, test)


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        magic, n, h, w = struct.unpack(">4i", f.read(16))
        if magic != 2051:
            raise SystemExit(f"{path}: not an IDX image file")
        return np.frombuffer(f.read(), np.uint8).reshape(n, h, w)


def mnist_train():
    """MNIST train split as tools/MicroT.Data defines it: the first 500 images per digit."""
    out = []
    for d in range(10):
        data = json.load(open(os.path.join(data_root(), "mnist", f"{d}.json")))["data"]
        flat = np.asarray(data, np.float64).reshape(-1, 784)[:500]
        out.append(np.floor(flat * 255 + 0.5).astype(np.uint8).reshape(-1, 28, 28))
    return np.concatenate(out)


def pad32(images):
    return np.pad(images, ((0, 0), (2, 2), (2, 2)))


def build_pool(out):
    rng = np.random.default_rng(2026)
    parts, sources = [], {}
    fashion = read_idx_images(os.path.join(data_root(), "fashion-mnist-idx", "train-images-idx3-ubyte.gz"))
    parts.append(pad32(fashion[np.sort(rng.choice(len(fashion), POOL["fashion"], replace=False))]))
    sources["fashion"] = "Fashion-MNIST official train split (Debian dataset-fashion-mnist), %d of 60,000" % POOL["fashion"]
    parts.append(pad32(mnist_train()[: POOL["mnist"]]))
    sources["mnist"] = "MNIST train split (docs/DATA.md), %d" % POOL["mnist"]

    icon_items = []
    for s in ICON_SETS:
        _, _, icons = render.load_set(os.path.join(data_root(), "iconify", s))
        icon_items += [icons[n] for n in sorted(icons)]
    pick = rng.choice(len(icon_items), POOL["icons"], replace=False)
    variants = rng.integers(0, len(render.VARIANTS), POOL["icons"])
    parts.append(render.render_svgs([(icon_items[i], render.VARIANTS[v]) for i, v in zip(pick, variants)]))
    sources["icons"] = "iconify sets %s, %d of %d icons" % (", ".join(ICON_SETS), POOL["icons"], len(icon_items))

    sets = emoji_sets()
    task = set(emoji_task_classes(sets))
    emoji_items = [sets[s][2][n] for s in EMOJI_SETS for n in sorted(sets[s][2]) if n not in task]
    pick = rng.choice(len(emoji_items), POOL["emoji"], replace=False)
    variants = rng.integers(0, len(render.VARIANTS), POOL["emoji"])
    parts.append(render.render_svgs([(emoji_items[i], render.VARIANTS[v]) for i, v in zip(pick, variants)]))
    sources["emoji"] = "iconify emoji sets, %d of %d emoji images not in the emoji task" % (POOL["emoji"], len(emoji_items))

    combos = [(f, c) for script, chars in sorted(POOL_SCRIPTS.items()) for f in fonts_for(script) for c in chars]
    glyphs = []
    for i in rng.permutation(len(combos)):
        f, c = combos[i]
        if not render.has_glyph(f, c):
            continue
        box, dx, dy = render.VARIANTS[rng.integers(0, len(render.VARIANTS))]
        img = render.render_glyph(f, c, box, dx, dy)
        if img is not None and img.max() > 0:
            glyphs.append(img)
        if len(glyphs) == POOL["glyphs"]:
            break
    parts.append(np.stack(glyphs))
    sources["glyphs"] = "Noto glyphs of %d scripts (no Georgian, Armenian or digits), %d of %d (font, char) pairs" % (
        len(POOL_SCRIPTS), len(glyphs), len(combos))

    images = np.concatenate(parts)
    order = np.random.default_rng(2027).permutation(len(images))
    images = images[order]
    kinds = np.concatenate([np.full(len(p), k, np.int32) for k, p in enumerate(parts)])[order]
    os.makedirs(out, exist_ok=True)
    np.save(os.path.join(out, "pool_images.npy"), images)
    np.save(os.path.join(out, "pool_kinds.npy"), kinds)
    with open(os.path.join(out, "pool.json"), "w") as f:
        json.dump({"count": int(len(images)), "kinds": list(sources), "sizes": [int(len(p)) for p in parts],
                   "sources": sources}, f, indent=1)
    print(f"pool: {len(images)} images -> {out}: " + ", ".join(f"{k} {len(p)}" for k, p in zip(sources, parts)))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("what", choices=["tasks", "pool"])
    p.add_argument("--out", default=None)
    a = p.parse_args()
    if a.what == "tasks":
        out = a.out or os.path.join(data_root(), "tasks")
        build_emoji_task(emoji_sets(), out)
        for name in GLYPH_TASKS:
            build_glyph_task(name, out)
    else:
        build_pool(a.out or os.path.join(data_root(), "pool"))


if __name__ == "__main__":
    main()
