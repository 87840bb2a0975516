#!/usr/bin/env bash
# Runs `twin fit P --nominal` on every shared PEtab problem and compares the NLL with the petab reference
# (Tests/PEtabTests/Fixtures/petab_reference.tsv) to 1e-6 relative. Usage: petab_nominal_check.sh TWIN DIR
set -euo pipefail
twin=$1; dir=$2
ref="$(dirname "$0")/../Tests/PEtabTests/Fixtures/petab_reference.tsv"
fail=0
while IFS=$'\t' read -r name expected _; do
  [ "$name" = problem ] && continue
  [ -f "$dir/$name/$name.yaml" ] || { echo "$name: missing"; fail=1; continue; }
  got=$("$twin" fit "$dir/$name/$name.yaml" --nominal | awk -F'\t' '$1=="nll"{print $2}') || got=""
  if [ -n "$got" ] && awk -v a="$got" -v b="$expected" 'BEGIN{d=a-b; if(d<0)d=-d; s=b<0?-b:b; exit !(d<=1e-6*s)}'; then
    echo "$name: ok ($got vs $expected)"
  else
    echo "$name: FAIL (${got:-error} vs $expected)"; fail=1
  fi
done < "$ref"
exit $fail
