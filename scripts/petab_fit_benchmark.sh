#!/usr/bin/env bash
# Multi-start fits of every shared PEtab problem: `twin fit P --starts N --seed S`, each under a time limit,
# compared with the reference objective at the nominal (published best-fit) parameters, nll + prior_nll from
# Tests/PEtabTests/Fixtures/petab_reference.tsv. Prints one TSV row per problem.
# Usage: petab_fit_benchmark.sh TWIN PETAB_DIR OUT_DIR [STARTS=100] [SECONDS=240] [THREADS=1]
# PROBLEMS="A B ..." in the environment restricts the run to those problems; FIT_ARGS="..." adds twin fit options.
set -uo pipefail
twin=$1; dir=$2; out=$3; starts=${4:-100}; limit=${5:-240}; threads=${6:-1}
ref="$(dirname "$0")/../Tests/PEtabTests/Fixtures/petab_reference.tsv"
mkdir -p "$out"
printf 'problem\treference\tbest\tbest_minus_reference\treached\tconverged\tseconds_per_converged_start\twall_seconds\tstatus\n'
all="Perelson_Science1996 Boehm_JProteomeRes2014 Crauste_CellSystems2017 Fujita_SciSignal2010 Zheng_PNAS2012 \
     Weber_BMC2015 Brannmark_JBC2010 Laske_PLOSComputBiol2019 Schwen_PONE2014 Okuonghae_ChaosSolitonsFractals2020 \
     Oliveira_NatCommun2021 Bachmann_MSB2011"
for name in ${PROBLEMS:-$all}; do
  reference=$(awk -F'\t' -v n="$name" '$1==n{printf "%.10g", $2+$3}' "$ref")
  log="$out/$name.log"
  timeout "$limit" "$twin" fit "$dir/$name/$name.yaml" --starts "$starts" --seed 1 --threads "$threads" ${FIT_ARGS:-} --out "$out/$name" > "$log" 2>&1
  rc=$?
  status=ok; [ $rc -eq 124 ] && status="timeout_${limit}s"; [ $rc -ne 0 ] && [ $rc -ne 124 ] && status="exit_$rc"
  best=$(awk -F'\t' '$1=="best"{print $2}' "$log"); best=${best:-NA}
  converged=$(awk -F'\t' '$1=="converged"{print $2}' "$log" | cut -d' ' -f1); converged=${converged:-NA}
  per=$(awk -F'\t' '$1=="seconds_per_converged_start"{print $2}' "$log"); per=${per:-NA}
  wall=$(awk -F'\t' '$1=="wall_seconds"{print $2}' "$log"); wall=${wall:-NA}
  if [ "$best" != NA ]; then
    diff=$(awk -v a="$best" -v b="$reference" 'BEGIN{printf "%.4g", a-b}')
    reached=$(awk -v d="$diff" 'BEGIN{print (d <= 0.1) ? "yes" : "no"}')
  else diff=NA; reached=no; fi
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$name" "$reference" "$best" "$diff" "$reached" "$converged" "$per" "$wall" "$status"
done
