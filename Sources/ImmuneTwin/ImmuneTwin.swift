@_exported import Sampling
@_exported import Statistics
@_exported import ModelIR
@_exported import ModelFormats
@_exported import Simulation
@_exported import ModelLibrary
@_exported import Inference
@_exported import Reports
