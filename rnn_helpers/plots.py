"""The few figures more than one lesson draws."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def digit(ax, image: np.ndarray, title: str = "") -> None:
    """Draw one 28x28 image on ``ax``, rows labelled as time steps."""
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=image.max() or 1)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    ax.set_yticks([0, 27], ["t=0", "t=27"], fontsize=7)


def revealed_rows(image: np.ndarray, steps: list[int]):
    """One panel per entry of ``steps``: the image with only its first t rows shown.

    What a row-by-row RNN has read after t time steps. Returns the figure.
    """
    fig, axes = plt.subplots(1, len(steps), figsize=(1.6 * len(steps), 2.0))
    for ax, t in zip(np.atleast_1d(axes), steps):
        seen = np.zeros_like(image)
        seen[:t] = image[:t]
        digit(ax, seen, f"after {t} rows")
        ax.axhline(t - 0.5, color="tab:red", linewidth=1)
    fig.tight_layout()
    return fig


def digit_grid(images: np.ndarray, titles: list[str], columns: int = 8):
    """A grid of digits with a short title each; returns the figure."""
    rows = int(np.ceil(len(images) / columns))
    fig, axes = plt.subplots(rows, columns, figsize=(1.4 * columns, 1.6 * rows), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, title in zip(axes.flat, images, titles):
        ax.imshow(image, cmap="gray_r")
        ax.set_title(title, fontsize=8)
    fig.tight_layout()
    return fig
