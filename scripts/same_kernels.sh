# Sourced by the scripts that make datasets and learning figures. OpenBLAS and ATen pick
# their kernels by CPU, and AVX-512 kernels sum a GEMM in another order than AVX2 ones:
# a seed's run then diverges from the first differing bit (SAC on Hopper-v5 evaluates
# 301.7 at 10k steps on an AVX-512 EPYC, 224.6 with these kernels). The figures in
# docs/results.md and tests/pins/train were made with OpenBLAS's Haswell and ATen's AVX2
# kernels; forcing them makes the same runs and files on any CPU with AVX2. Set either
# variable to keep your own. The speed benches (envs.sh, sac_speed.sh, offline_speed.sh and
# the like) run on the native kernels; model_based.sh's speed part, a ratio, runs on these.
if grep -qw avx2 /proc/cpuinfo 2> /dev/null; then
  export OPENBLAS_CORETYPE=${OPENBLAS_CORETYPE:-Haswell}
  export ATEN_CPU_CAPABILITY=${ATEN_CPU_CAPABILITY:-avx2}
fi
