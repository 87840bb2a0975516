@_exported import ModelIR
@_exported import ModelFormats
@_exported import Simulation
@_exported import ModelLibrary
