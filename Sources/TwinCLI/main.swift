import ImmuneTwin
print("twin: under construction")
