"""The few figures more than one lesson draws."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np


def digit(ax, image: np.ndarray, title: str = "") -> None:
    """Draw one 28x28 image on ``ax``, rows labelled as time steps."""
    ax.imshow(image, cmap="gray_r", vmin=0, vmax=image.max() or 1)
    ax.set_title(title, fontsize=9)
    ax.set_xticks([])
    rows = image.shape[0]
    ax.set_yticks([0, rows - 1], ["t=1", f"t={rows}"], fontsize=7)


def revealed_rows(image: np.ndarray, steps: list[int]):
    """One panel per entry of ``steps``: the image with only its first t rows shown.

    What a row-by-row RNN has read after t time steps. Returns the figure.
    """
    fig, axes = plt.subplots(1, len(steps), figsize=(1.6 * len(steps), 2.0))
    for ax, t in zip(np.atleast_1d(axes), steps):
        seen = np.zeros_like(image)
        seen[:t] = image[:t]
        digit(ax, seen, f"after {t} rows")
        if t < len(image):  # rows not read yet: shaded, so that they do not look like blank paper
            ax.axhspan(t - 0.5, len(image) - 0.5, color="0.75", alpha=0.5, linewidth=0)
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


def _arrow(ax, start, end, color="0.35", style="-|>", **kwargs):
    ax.annotate("", end, start, arrowprops=dict(arrowstyle=style, color=color, shrinkA=6, shrinkB=6, **kwargs))


def unrolled_rnn(ax, time_steps: int, cell_size: int, drawn_units: int = 4) -> None:
    """The SimpleRNN unrolled over ``time_steps``: circles are units, U edges only between consecutive steps.

    Steps 1, 2, 3 and the last are drawn (all of them when there are at most 4);
    each step shows ``min(cell_size, drawn_units)`` of its units.
    """
    steps = list(range(1, time_steps + 1)) if time_steps <= 4 else [1, 2, 3, time_steps]
    units = min(cell_size, drawn_units)
    ys = 2.2 + 0.55 * np.arange(units)
    columns = [-2.6] + [2.6 * i for i in range(len(steps))]
    for col, x in enumerate(columns):
        t = 0 if col == 0 else steps[col - 1]
        for y in ys:
            ax.add_patch(plt.Circle((x, y), 0.17, facecolor="0.9" if t == 0 else "#dbe9f6", edgecolor="0.3", zorder=3))
        label = "$h_0 = 0$" if t == 0 else f"$h_{{{t}}}$"
        ax.text(x, ys[-1] + 0.5, label, ha="center", fontsize=10)
        if t:
            ax.text(x + 0.7, 0.6, f"$x_{{{t}}}$\nrow {t}", ha="center", va="center", fontsize=9,
                    bbox=dict(boxstyle="round,pad=0.3", facecolor="white"))
            for y in ys:
                _arrow(ax, (x + 0.7, 1.0), (x + 0.12, y - 0.05), color="tab:blue", lw=0.6)
            ax.text(x + 0.95, 1.45, "W", color="tab:blue", fontsize=9)
            ax.text(x - 0.25, ys[0] - 0.35, "+b, tanh", fontsize=7, color="0.3", ha="center", va="top")
        if col:
            previous = columns[col - 1]
            gap = t != (0 if col == 1 else steps[col - 2]) + 1
            for y0 in ys:
                for y1 in ys:
                    ax.annotate("", (x - 0.17, y1), (previous + 0.17, y0), zorder=1,
                                arrowprops=dict(arrowstyle="-|>", color="tab:red", lw=0.5, mutation_scale=6,
                                                linestyle=":" if gap else "-", shrinkA=0, shrinkB=0))
            ax.text((previous + x) / 2, ys[-1] + 0.3, "U ... U" if gap else "U", color="tab:red", ha="center", fontsize=9)
    if cell_size > units:
        ax.text(columns[0], ys[0] - 0.6, f"{units} of {cell_size} units drawn", fontsize=7, color="0.3", ha="center")
    classifier = columns[-1] + 2.2
    ax.text(classifier, ys.mean(), "Dense\nsoftmax\n10 classes", ha="center", va="center", fontsize=9,
            bbox=dict(boxstyle="round,pad=0.3", facecolor="#fde2c8"))
    for y in ys:
        _arrow(ax, (columns[-1] + 0.1, y), (classifier - 0.6, ys.mean()), lw=0.6)
    ax.set(xlim=(columns[0] - 0.8, classifier + 0.9), ylim=(-0.1, ys[-1] + 1.0))
    ax.set_aspect("equal")
    ax.axis("off")


def sequence_shapes(axes) -> None:
    """Three small diagrams on ``axes``: many-to-one, many-to-many and one-to-many recurrent models."""
    kinds = {
        "many-to-one\n(this series: a digit's class)": ([1, 1, 1, 1], [0, 0, 0, 1]),
        "many-to-many, return_sequences=True\n(lesson 06: an answer after every row)": ([1, 1, 1, 1], [1, 1, 1, 1]),
        "one-to-many\n(one input, a sequence out)": ([1, 0, 0, 0], [1, 1, 1, 1]),
    }
    for ax, (title, (inputs, outputs)) in zip(axes, kinds.items()):
        for i, (has_input, has_output) in enumerate(zip(inputs, outputs)):
            x = 1.2 * i
            ax.add_patch(plt.Rectangle((x - 0.3, 1.2), 0.6, 0.6, facecolor="#dbe9f6", edgecolor="0.3"))
            if has_input:
                ax.add_patch(plt.Rectangle((x - 0.25, 0), 0.5, 0.5, facecolor="white", edgecolor="0.3"))
                _arrow(ax, (x, 0.5), (x, 1.2))
            if has_output:  # an output is a state, or a Dense layer applied to it
                ax.add_patch(plt.Rectangle((x - 0.25, 2.5), 0.5, 0.5, facecolor="#fde2c8", edgecolor="0.3"))
                _arrow(ax, (x, 1.8), (x, 2.5))
            if i:
                _arrow(ax, (x - 1.2 + 0.3, 1.5), (x - 0.3, 1.5), color="tab:red")
        ax.set_title(title, fontsize=8)
        ax.set(xlim=(-0.6, 4.2), ylim=(-0.2, 3.2))
        ax.set_aspect("equal")
        ax.axis("off")
    axes[0].text(-0.55, 0.25, "input", fontsize=7, ha="right", va="center")
    axes[0].text(-0.55, 1.5, "state", fontsize=7, ha="right", va="center")
    axes[0].text(-0.55, 2.75, "output", fontsize=7, ha="right", va="center")
    axes[1].text(1.8, -0.15, "outputs: the states, or a Dense layer applied to each", fontsize=6, ha="center", va="top")


def one_step(ax, input_size: int, cell_size: int) -> None:
    """One SimpleRNN step as boxes and arrows labelled with their shapes: ``h_t = tanh(x_t W + h_{t-1} U + b)``.

    Row vectors, as in the lessons: ``x_t`` has ``input_size`` values, ``h_{t-1}`` and ``h_t`` have ``cell_size``; the
    dashed arrow hands ``h_t`` to the next step.
    """
    n, u = input_size, cell_size
    places = {"x": (0, 2), "h_prev": (0, 0), "W": (2.5, 2), "U": (2.5, 0), "sum": (5.3, 1), "tanh": (7.3, 1), "h": (9.1, 1)}
    texts = {"x": f"row $x_t$\n({n},)", "h_prev": f"state $h_{{t-1}}$\n({u},)", "W": f"$\\times\\, W$ (kernel)\n({n}, {u})",
             "U": f"$\\times\\, U$ (recurrent_kernel)\n({u}, {u})", "sum": f"add both, $+\\, b$ (bias)\n({u},)",
             "tanh": "tanh of\neach value", "h": f"new state $h_t$\n({u},)"}
    colours = {"W": "#d6e6f5", "U": "#f8d8d6", "h_prev": "#eeeeee", "h": "#eeeeee"}
    boxes = {name: ax.text(*places[name], text, ha="center", va="center", fontsize=8, zorder=3,
                           bbox=dict(boxstyle="round,pad=0.4", facecolor=colours.get(name, "white"), edgecolor="0.4"))
             for name, text in texts.items()}
    for start, end in [("x", "W"), ("h_prev", "U"), ("W", "sum"), ("U", "sum"), ("sum", "tanh"), ("tanh", "h")]:
        ax.annotate("", places[end], places[start], arrowprops=dict(arrowstyle="-|>", color="0.3", shrinkA=0, shrinkB=0,
                                                                   patchA=boxes[start].get_bbox_patch(),
                                                                   patchB=boxes[end].get_bbox_patch()))
    ax.text(4.1, 1.75, f"$x_t W$ ({u},)", fontsize=7, color="0.3")
    ax.text(4.1, 0.1, f"$h_{{t-1}} U$ ({u},)", fontsize=7, color="0.3")
    ax.annotate("", (0, -0.45), (9.1, 0.6), arrowprops=dict(arrowstyle="-|>", color="tab:red", linestyle="--",
                                                            connectionstyle="arc3,rad=-0.2"))
    ax.text(4.6, -1.35, "at the next step, $h_t$ is the state $h_{t-1}$", ha="center", fontsize=8, color="tab:red")
    ax.set(xlim=(-1.2, 10.3), ylim=(-1.6, 2.6))
    ax.axis("off")
