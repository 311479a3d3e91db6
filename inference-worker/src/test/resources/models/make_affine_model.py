"""Makes affine.pt, the small TorchScript model the worker's tests load.

y = x @ W^T + b with fixed weights, for x of shape [n, 4]; y has shape [n, 2].
Run with any PyTorch (Debian's python3-torch will do): python3 make_affine_model.py
"""
import torch


class Affine(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = torch.nn.Linear(4, 2)
        with torch.no_grad():
            self.linear.weight.copy_(torch.tensor([[1.0, 2.0, 3.0, 4.0], [-1.0, 0.0, 1.0, 0.0]]))
            self.linear.bias.copy_(torch.tensor([0.5, -0.5]))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.linear(x)


if __name__ == "__main__":
    torch.jit.script(Affine().eval()).save("affine.pt")
