"""The course's networks as spec text, shared by the tests (numbers from the lecture and the default)."""

SINGLE_NEURON = """
[network]
layers = [1, 1]
activations = "sigmoid"
loss = "mse"
[values]
x = [0.7]
y = [1.0]
W0 = [[0.1]]
b0 = [0.25]
"""

COURSE_232 = """
[network]
layers = [2, 3, 2]
activations = "sigmoid"
loss = "mse"
[values]
x = [0.5, 0.1]
y = [1.0, 0.0]
W0 = [[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]
b0 = [0.1, 0.1, 0.1]
W1 = [[0.7, 0.8], [0.9, 0.1], [0.2, 0.3]]
b1 = [0.2, 0.2]
"""
