# Installation layout and the Debian package (cpack -G DEB from the build folder).
include(GNUInstallDirs)

install(DIRECTORY "${DFQ_SOURCE_DIR}/resources/models" DESTINATION "${CMAKE_INSTALL_DATADIR}/dfq-studio"
        FILES_MATCHING PATTERN "*.pt" PATTERN "*.json")
# ONNX Runtime's runner for dfq verify-onnx (the npm package itself is installed next to it by
# `npm ci --ignore-scripts --prefix <datadir>/dfq-studio/ort`, see scripts/setup-onnxruntime.sh).
install(FILES "${DFQ_SOURCE_DIR}/resources/ort/run-model.cjs" "${DFQ_SOURCE_DIR}/resources/ort/package.json"
              "${DFQ_SOURCE_DIR}/resources/ort/package-lock.json"
        DESTINATION "${CMAKE_INSTALL_DATADIR}/dfq-studio/ort")
install(DIRECTORY "${DFQ_SOURCE_DIR}/examples" DESTINATION "${CMAKE_INSTALL_DATADIR}/dfq-studio" OPTIONAL)
if(DFQ_BUILD_GUI)
  install(FILES "${DFQ_SOURCE_DIR}/installer/dfq-studio.desktop" DESTINATION "${CMAKE_INSTALL_DATADIR}/applications")
  install(FILES "${DFQ_SOURCE_DIR}/installer/org.dfqstudio.DFQStudio.metainfo.xml" DESTINATION "${CMAKE_INSTALL_DATADIR}/metainfo")
  install(FILES "${DFQ_SOURCE_DIR}/resources/icons/dfq-studio.svg"
          DESTINATION "${CMAKE_INSTALL_DATADIR}/icons/hicolor/scalable/apps")
endif()

set(CPACK_PACKAGE_NAME "dfq-studio")
set(CPACK_PACKAGE_VENDOR "DFQ Studio")
set(CPACK_PACKAGE_CONTACT "DFQ Studio developers <dfq-studio@localhost>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "Data-free quantization of convolutional networks (GUI and CLI)")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_GENERATOR "DEB")
set(CPACK_DEBIAN_PACKAGE_SECTION "science")
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "libopenblas0-openmp, dataset-fashion-mnist")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
include(CPack)
