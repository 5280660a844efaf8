# The Debian package (CPack DEB): moescope, moescope-cli, the desktop entry, the icon, the
# AppStream metainfo, and, bundled in lib/moescope, the part of LibTorch they load.
#
# The LibTorch of the project is the CUDA wheel; libtorch.so pulls libtorch_cuda.so and NVIDIA's
# libraries, several GB. The package is therefore CPU-only: configure with
# -DMOESCOPE_TORCH_CPU_ONLY=ON (core/CMakeLists.txt then links torch_cpu and c10, not libtorch.so)
# and the install bundles exactly the wheel libraries the two programs load (libtorch_cpu, libc10,
# the wheel's libgomp, and the small CUDA runtime and CUPTI that libtorch_cpu itself names).
# GPU users build from source (scripts/run.sh). packaging/build_deb.sh drives this file,
# packaging/test_deb.sh installs the result in a fresh Debian 12 root.

# Everything the desktop integration needs, in every configuration.
if(TARGET moescope)
  install(FILES ${PROJECT_SOURCE_DIR}/packaging/io.github.moescope.metainfo.xml
          DESTINATION share/metainfo)
endif()

if(NOT MOESCOPE_TORCH_CPU_ONLY)
  message(STATUS "Debian package: configure with -DMOESCOPE_TORCH_CPU_ONLY=ON to enable it (packaging/build_deb.sh)")
  return()
endif()

set(MOESCOPE_BUNDLE_DIR lib/moescope)

# The programs find the bundled libraries next to them, wherever the package is unpacked.
foreach(program moescope moescope-cli)
  if(TARGET ${program})
    set_property(TARGET ${program} PROPERTY INSTALL_RPATH "$ORIGIN/../${MOESCOPE_BUNDLE_DIR}")
    list(APPEND moescope_bundled_programs "$<TARGET_FILE:${program}>")
  endif()
endforeach()

# Bundle: the runtime closure of the installed programs, keeping what comes from the torch wheel
# (site-packages/torch/lib, site-packages/nvidia/...) and leaving the rest to Debian's packages
# (dpkg-shlibdeps turns those into Depends). Anything from elsewhere, or any CUDA LibTorch
# library, means the CPU-only link did not hold: the install stops.
get_filename_component(moescope_wheel_site "${TORCH_INSTALL_PREFIX}/.." ABSOLUTE)
install(CODE "
  set(programs \"${moescope_bundled_programs}\")
  set(site \"${moescope_wheel_site}\")
  set(bundle \"\${CMAKE_INSTALL_PREFIX}/${MOESCOPE_BUNDLE_DIR}\")
  set(strip \"${CMAKE_STRIP}\")
")
install(CODE [[
  file(GET_RUNTIME_DEPENDENCIES
    EXECUTABLES ${programs}
    RESOLVED_DEPENDENCIES_VAR resolved
    UNRESOLVED_DEPENDENCIES_VAR unresolved
    CONFLICTING_DEPENDENCIES_PREFIX conflict)
  if(unresolved)
    message(FATAL_ERROR "moescope bundle: unresolved libraries: ${unresolved}")
  endif()
  # A name found twice: libgomp.so.1 is the wheel's for libtorch_cpu (its RPATH) and Debian's
  # for libb2 (under Qt6Core). ld.so loads one library per soname, the wheel's here, as in the
  # build tree: bundle it; the Debian one comes in through libb2's own dependencies.
  foreach(name IN LISTS conflict_FILENAMES)
    list(APPEND resolved ${conflict_${name}})
  endforeach()
  set(wheel_libs "")
  foreach(lib IN LISTS resolved)
    get_filename_component(name "${lib}" NAME)
    if(name MATCHES "^lib(torch|torch_cuda.*|c10_cuda|cuda|cublas.*|cudnn.*|nccl.*|nvshmem.*)\\.so")
      message(FATAL_ERROR "moescope bundle: ${lib} is linked; configure with -DMOESCOPE_TORCH_CPU_ONLY=ON")
    endif()
    string(FIND "${lib}" "${site}/torch/lib/" in_torch)
    string(FIND "${lib}" "${site}/nvidia/" in_nvidia)
    if(in_torch EQUAL 0 OR in_nvidia EQUAL 0)
      list(APPEND wheel_libs "${lib}")
    elseif(NOT lib MATCHES "^/(usr/)?lib(64)?/")
      message(FATAL_ERROR "moescope bundle: ${lib} is neither a Debian library nor part of the torch wheel")
    endif()
  endforeach()
  message(STATUS "moescope bundle: ${wheel_libs}")
  file(INSTALL DESTINATION "${bundle}" TYPE SHARED_LIBRARY FOLLOW_SYMLINK_CHAIN FILES ${wheel_libs})
  # The wheel's RPATHs point into site-packages/nvidia; in the package they find each other here
  # (NVIDIA's libraries have none and need none).
  foreach(lib IN LISTS wheel_libs)
    get_filename_component(name "${lib}" NAME)
    set(installed "$ENV{DESTDIR}${bundle}/${name}")
    unset(rpath)
    unset(runpath)
    file(READ_ELF "${installed}" RPATH rpath RUNPATH runpath)
    if(rpath OR runpath)
      file(RPATH_SET FILE "${installed}" NEW_RPATH "$ORIGIN")
    endif()
    if(CMAKE_INSTALL_DO_STRIP AND strip)
      execute_process(COMMAND "${strip}" --strip-unneeded "${installed}" COMMAND_ERROR_IS_FATAL ANY)
    endif()
  endforeach()
]])

# Their licences: LibTorch (BSD-3-Clause, with its NOTICE), and NVIDIA's for the CUDA runtime
# and CUPTI (redistributable under the CUDA EULA).
set(moescope_doc share/doc/moescope)
file(GLOB moescope_torch_licenses "${moescope_wheel_site}/torch-*.dist-info/licenses/*")
install(FILES ${moescope_torch_licenses} DESTINATION ${moescope_doc}/libtorch)
foreach(nv cuda_runtime cuda_cupti)
  file(GLOB moescope_nv_license "${moescope_wheel_site}/nvidia_${nv}-*.dist-info/licenses/License.txt")
  if(moescope_nv_license)
    install(FILES ${moescope_nv_license} DESTINATION ${moescope_doc}/nvidia-${nv})
  endif()
endforeach()
install(FILES ${PROJECT_SOURCE_DIR}/packaging/copyright DESTINATION ${moescope_doc})

# CPack: one .deb, zstd-compressed, stripped.
set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME moescope)
set(CPACK_PACKAGE_VERSION ${PROJECT_VERSION})
set(CPACK_PACKAGE_VENDOR "MoE Scope")
set(CPACK_PACKAGE_CONTACT "MoE Scope maintainers <maintainers@users.noreply.h-seed-e4949314.example>")
set(CPACK_PACKAGING_INSTALL_PREFIX /usr)
set(CPACK_STRIP_FILES ON)
set(CPACK_THREADS 0)
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Mixture-of-Experts workbench: train models and watch their routers live")
set(CPACK_PACKAGE_DESCRIPTION "MoE Scope trains small Mixture-of-Experts models (a byte-level language
model on fortunes, a vision model and a text-image fusion model on
Fashion-MNIST) and shows their routers at work: expert load, routing
entropy, collapse, per-token and per-class assignments. Runs are logged
to HDF5 and can be replayed; checkpoints can be operated on (pruning,
merging, quantizing experts) and fine-tuned.

The package contains the desktop workbench moescope and the command-line
tool moescope-cli. It is CPU-only: it bundles LibTorch's CPU library. To
train on an NVIDIA GPU, build MoE Scope from source with scripts/run.sh.")

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION science)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_COMPRESSION_TYPE zstd)
# The default session (lm-fortunes) reads /usr/share/games/fortunes, English and, where
# installed, de/es/it; vision-fmnist and fusion-fmnist read /usr/share/datasets/fashion-mnist.
set(CPACK_DEBIAN_PACKAGE_DEPENDS "fortunes")
# Qt's own strings (standard buttons, file dialogs) in the German and Chinese interface come
# from qt6-translations-l10n; the Chinese interface wants a CJK font.
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "fortunes-de, fortunes-es, fortunes-it, dataset-fashion-mnist, qt6-translations-l10n")
set(CPACK_DEBIAN_PACKAGE_SUGGESTS "fonts-noto-cjk")
include(CPack)
