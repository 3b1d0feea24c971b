# quantlens_qt_target(TARGET): moc/uic/rcc for a Qt target, the project's warnings on its own sources only.
# The code moc generates is compiled without -Werror: it is not ours to fix, and newer Qt releases change it.
function(quantlens_qt_target target)
  set_target_properties(${target} PROPERTIES AUTOMOC ON AUTORCC ON AUTOUIC OFF)
  target_link_libraries(${target} PRIVATE quantlens_warnings)
  get_target_property(bin_dir ${target} BINARY_DIR)
  set_source_files_properties(${bin_dir}/${target}_autogen/mocs_compilation.cpp
                              TARGET_DIRECTORY ${target} PROPERTIES COMPILE_OPTIONS "-Wno-error")
endfunction()
