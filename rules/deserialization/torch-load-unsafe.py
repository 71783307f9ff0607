import torch
from safetensors.torch import load_file
from torch import load as load_checkpoint


def restore(model, path):
    # ruleid: torch-load-unsafe
    state = torch.load(path)
    model.load_state_dict(state)


def restore_on_cpu(model, path):
    # ruleid: torch-load-unsafe
    state = torch.load(path, map_location="cpu", weights_only=False)
    model.load_state_dict(state)


def resume_training(path):
    # ruleid: torch-load-unsafe
    checkpoint = load_checkpoint(
        path,
        map_location=torch.device("cpu"),
    )
    return checkpoint["epoch"], checkpoint["optimizer"]


def restore_safe(model, path):
    # ok: torch-load-unsafe
    state = torch.load(path, weights_only=True)
    model.load_state_dict(state)


def restore_on_cpu_safe(model, path):
    # ok: torch-load-unsafe
    state = torch.load(path, map_location="cpu", weights_only=True)
    model.load_state_dict(state)


def restore_safetensors(model, path):
    # ok: torch-load-unsafe
    model.load_state_dict(load_file(path))


def save(model, path):
    # ok: torch-load-unsafe
    torch.save(model.state_dict(), path)
