# Writes ${OUT}: a C++ file holding each MJCF file of ${ASSETS} as a string, so the
# library carries its models and runs from any directory. Run with cmake -P;
# ASSETS is a |-separated list of paths.
string(REPLACE "|" ";" ASSETS "${ASSETS}")
file(WRITE ${OUT}.tmp "// Generated from envs/mujoco/assets/ by embed_assets.cmake; do not edit.\n")
file(APPEND ${OUT}.tmp "#include \"envs/mujoco/assets.h\"\n\nnamespace rlarena {\n\n")
file(APPEND ${OUT}.tmp "const std::map<std::string, std::string>& embedded_assets() {\n")
file(APPEND ${OUT}.tmp "  static const std::map<std::string, std::string> assets = {\n")
foreach(path ${ASSETS})
  get_filename_component(name ${path} NAME)
  file(READ ${path} text)
  file(APPEND ${OUT}.tmp "      {\"${name}\", R\"mjcf(${text})mjcf\"},\n")
endforeach()
file(APPEND ${OUT}.tmp "  };\n  return assets;\n}\n\n}  // namespace rlarena\n")
file(RENAME ${OUT}.tmp ${OUT})
