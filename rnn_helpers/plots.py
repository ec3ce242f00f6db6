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


def prediction_by_row(images: np.ndarray, probabilities: np.ndarray, labels: np.ndarray):
    """For each image, the digit and its ten class probabilities after each row read.

    ``probabilities`` is (examples, time_steps, num_classes); the true class is
    drawn thick. Returns the figure.
    """
    examples, time_steps, num_classes = probabilities.shape
    fig, axes = plt.subplots(examples, 2, figsize=(9, 1.9 * examples), squeeze=False,
                             gridspec_kw={"width_ratios": [1, 4]})
    rows_read = np.arange(1, time_steps + 1)
    colors = plt.get_cmap("tab10").colors
    for (ax_image, ax_probs), image, p, label in zip(axes, images, probabilities, labels):
        digit(ax_image, image, f"a {label}")
        for c in range(num_classes):
            ax_probs.plot(rows_read, p[:, c], color=colors[c], linewidth=3 if c == label else 1,
                          label=str(c))
        ax_probs.set(ylim=(-0.03, 1.03), ylabel="probability")
    axes[-1, 1].set_xlabel("rows read")
    axes[0, 1].legend(title="class", fontsize=7, ncol=10, loc="upper left", bbox_to_anchor=(0, 1.45))
    fig.tight_layout()
    return fig
