# cmake/static.cmake — fully static, stripped vidb (included when -DVIDB_STATIC=ON)
#
# Include it AFTER project(). It is meant to be included *instead of* defining
# vidb::libpq; the top-level find_package(OpenSSL REQUIRED) may come before or
# after the include, both work.
#
# Inputs
#   VIDB_LIBPQ_ROOT   prefix made by scripts/build-libpq-static.sh
#                     (default ${CMAKE_SOURCE_DIR}/build/libpq-static):
#                     include/libpq-fe.h, lib/libpq.a, lib/libpgcommon*.a, lib/libpgport*.a
#   VIDB_STATIC_NO_LINK_WARNINGS (option, default OFF) add -Wl,--no-warnings
#                     (binutils >= 2.40) to silence glibc's "Using 'getaddrinfo'
#                     in statically linked applications..." linker warnings.
#                     They are only warnings; they matter only if you also link
#                     with -Wl,--fatal-warnings.
#
# Outputs
#   vidb::libpq       INTERFACE IMPORTED target: libpq include dir, then
#                     libpq.a libpgcommon_shlib.a libpgport_shlib.a
#                     OpenSSL::SSL OpenSSL::Crypto Threads::Threads dl
#   OpenSSL::SSL / OpenSSL::Crypto   point at the static libssl.a / libcrypto.a
#   VIDB_FMT_TARGET   fmt::fmt-header-only (no libfmt.so at run time)
#   VIDB_LIBPQ_STATIC_VERSION  e.g. "PostgreSQL 15.18-0+deb12u1 (upstream 15.18)"
#                     (second line of VIDB_LIBPQ_ROOT/.stamp; for build info)
#   CMAKE_EXE_LINKER_FLAGS     += -static -s (and -Wl,--gc-sections, see
#                     VIDB_STATIC_GC_SECTIONS, default ON, which also adds
#                     -ffunction-sections -fdata-sections via add_compile_options)
#   CMAKE_FIND_LIBRARY_SUFFIXES = .a  (later find_library() calls get static libs)
#
# OpenSSL choice: we set OPENSSL_USE_STATIC_LIBS TRUE, locate libssl.a and
# libcrypto.a ourselves with find_library(NAMES libssl.a / libcrypto.a) (Debian's
# libssl-dev ships both in /usr/lib/x86_64-linux-gnu), pre-seed FindOpenSSL's
# OPENSSL_SSL_LIBRARY / OPENSSL_CRYPTO_LIBRARY cache entries with them and call
# find_package(OpenSSL REQUIRED) here. A later find_package(OpenSSL) in the
# top-level file reuses these results; if OpenSSL was already found (shared)
# before this include, the existing OpenSSL:: targets are re-pointed at the .a
# files. Either way everything that links OpenSSL::Crypto gets the static lib.

if(NOT CMAKE_CXX_COMPILER_LOADED AND NOT CMAKE_C_COMPILER_LOADED)
  message(FATAL_ERROR "cmake/static.cmake must be included after project()")
endif()
if(NOT CMAKE_SYSTEM_NAME STREQUAL "Linux")
  message(FATAL_ERROR "VIDB_STATIC=ON is only supported on Linux (glibc static linking)")
endif()

set(VIDB_LIBPQ_ROOT "${CMAKE_SOURCE_DIR}/build/libpq-static" CACHE PATH
    "Prefix of the static libpq built by scripts/build-libpq-static.sh")
option(VIDB_STATIC_NO_LINK_WARNINGS "Pass -Wl,--no-warnings when linking statically" OFF)

# --- libpq (from scripts/build-libpq-static.sh) ------------------------------
set(_vidb_pq_hint "Build it first: scripts/build-libpq-static.sh \"${VIDB_LIBPQ_ROOT}\" (or run scripts/build-static.sh, which does everything), or point -DVIDB_LIBPQ_ROOT=<prefix> at one.")
if(NOT EXISTS "${VIDB_LIBPQ_ROOT}/include/libpq-fe.h" OR NOT EXISTS "${VIDB_LIBPQ_ROOT}/lib/libpq.a")
  message(FATAL_ERROR "static libpq not found in VIDB_LIBPQ_ROOT=${VIDB_LIBPQ_ROOT}. ${_vidb_pq_hint}")
endif()

# Exact file names under VIDB_LIBPQ_ROOT only, so that Debian's own
# /usr/lib/x86_64-linux-gnu/libpq.a (built with GSSAPI/LDAP) can never be picked.
# The _shlib variants are what PostgreSQL links into libpq.so itself; the plain
# ones work too and are the fallback.
set(VIDB_LIBPQ_A "${VIDB_LIBPQ_ROOT}/lib/libpq.a")
foreach(_lib pgcommon pgport)
  string(TOUPPER "VIDB_LIB${_lib}_A" _v)
  if(EXISTS "${VIDB_LIBPQ_ROOT}/lib/lib${_lib}_shlib.a")
    set(${_v} "${VIDB_LIBPQ_ROOT}/lib/lib${_lib}_shlib.a")
  elseif(EXISTS "${VIDB_LIBPQ_ROOT}/lib/lib${_lib}.a")
    set(${_v} "${VIDB_LIBPQ_ROOT}/lib/lib${_lib}.a")
  else()
    message(FATAL_ERROR "lib${_lib}.a not found in ${VIDB_LIBPQ_ROOT}/lib. ${_vidb_pq_hint}")
  endif()
endforeach()

set(VIDB_LIBPQ_STATIC_VERSION "unknown")
if(EXISTS "${VIDB_LIBPQ_ROOT}/.stamp")
  file(STRINGS "${VIDB_LIBPQ_ROOT}/.stamp" _vidb_stamp LIMIT_COUNT 2)
  list(LENGTH _vidb_stamp _n)
  if(_n GREATER 1)
    list(GET _vidb_stamp 1 VIDB_LIBPQ_STATIC_VERSION)
  endif()
  # Re-configure when libpq is rebuilt.
  set_property(DIRECTORY APPEND PROPERTY CMAKE_CONFIGURE_DEPENDS "${VIDB_LIBPQ_ROOT}/.stamp")
endif()

# --- OpenSSL, static ---------------------------------------------------------
set(OPENSSL_USE_STATIC_LIBS TRUE)
find_library(VIDB_LIBSSL_A NAMES libssl.a)
find_library(VIDB_LIBCRYPTO_A NAMES libcrypto.a)
if(NOT VIDB_LIBSSL_A OR NOT VIDB_LIBCRYPTO_A)
  message(FATAL_ERROR "static OpenSSL (libssl.a, libcrypto.a) not found: apt-get install libssl-dev")
endif()
# Pre-seed FindOpenSSL (FORCE: a cache left over from a shared configure must not win).
set(OPENSSL_SSL_LIBRARY "${VIDB_LIBSSL_A}" CACHE FILEPATH "OpenSSL libssl (static)" FORCE)
set(OPENSSL_CRYPTO_LIBRARY "${VIDB_LIBCRYPTO_A}" CACHE FILEPATH "OpenSSL libcrypto (static)" FORCE)
find_package(Threads REQUIRED)
find_package(OpenSSL REQUIRED)
# If OpenSSL::* existed before this include (found shared), re-point them.
foreach(_t SSL Crypto)
  if(TARGET OpenSSL::${_t})
    if(_t STREQUAL "SSL")
      set(_lib "${VIDB_LIBSSL_A}")
    else()
      set(_lib "${VIDB_LIBCRYPTO_A}")
    endif()
    get_target_property(_loc OpenSSL::${_t} IMPORTED_LOCATION)
    if(NOT _loc STREQUAL _lib)
      set_target_properties(OpenSSL::${_t} PROPERTIES IMPORTED_LOCATION "${_lib}")
      set_property(TARGET OpenSSL::${_t} APPEND PROPERTY
                   INTERFACE_LINK_LIBRARIES Threads::Threads ${CMAKE_DL_LIBS})
    endif()
  endif()
endforeach()
set_property(TARGET OpenSSL::SSL APPEND PROPERTY INTERFACE_LINK_LIBRARIES OpenSSL::Crypto)

# --- vidb::libpq ---------------------------------------------------------------
if(NOT TARGET vidb::libpq)
  add_library(vidb::libpq INTERFACE IMPORTED)
  set_target_properties(vidb::libpq PROPERTIES
    INTERFACE_INCLUDE_DIRECTORIES "${VIDB_LIBPQ_ROOT}/include"
    # Order matters for static archives: libpq -> pgcommon -> pgport -> ssl -> crypto.
    INTERFACE_LINK_LIBRARIES
      "${VIDB_LIBPQ_A};${VIDB_LIBPGCOMMON_A};${VIDB_LIBPGPORT_A};OpenSSL::SSL;OpenSSL::Crypto;Threads::Threads;${CMAKE_DL_LIBS}")
endif()

# --- fmt: header-only, so no libfmt.so is needed ------------------------------
set(VIDB_FMT_TARGET fmt::fmt-header-only)

# --- link flags: fully static and stripped ------------------------------------
# glibc warns at link time that getaddrinfo/getpwuid_r/dlopen "require at
# runtime the shared libraries from the glibc version used for linking". That is
# about NSS modules other than files/dns: tested with glibc 2.36 (Debian 12), a
# binary in an empty chroot resolves names from /etc/hosts and via DNS
# (/etc/resolv.conf), and user names from /etc/passwd, with no .so present.
set(CMAKE_FIND_LIBRARY_SUFFIXES .a)
if(NOT CMAKE_EXE_LINKER_FLAGS MATCHES "(^| )-static( |$)")
  string(APPEND CMAKE_EXE_LINKER_FLAGS " -static")
endif()
if(NOT CMAKE_EXE_LINKER_FLAGS MATCHES "(^| )-s( |$)")
  string(APPEND CMAKE_EXE_LINKER_FLAGS " -s")
endif()
# Size: dead-code elimination. Every target created after this include compiles
# with one section per function/object and the link drops unreferenced ones
# (libcrypto.a/libc.a/libstdc++.a benefit too). Measured on vidb at the time of
# writing: 8.06 MB -> 7.20 MB stripped; the limit is 8 MiB.
option(VIDB_STATIC_GC_SECTIONS "Compile with -ffunction-sections -fdata-sections and link with --gc-sections" ON)
if(VIDB_STATIC_GC_SECTIONS)
  add_compile_options(-ffunction-sections -fdata-sections)
  if(NOT CMAKE_EXE_LINKER_FLAGS MATCHES "--gc-sections")
    string(APPEND CMAKE_EXE_LINKER_FLAGS " -Wl,--gc-sections")
  endif()
endif()
if(VIDB_STATIC_NO_LINK_WARNINGS)
  include(CheckLinkerFlag)
  check_linker_flag(CXX "-Wl,--no-warnings" VIDB_HAVE_LD_NO_WARNINGS)
  if(VIDB_HAVE_LD_NO_WARNINGS)
    string(APPEND CMAKE_EXE_LINKER_FLAGS " -Wl,--no-warnings")
  endif()
endif()

message(STATUS "vidb static: libpq ${VIDB_LIBPQ_STATIC_VERSION} from ${VIDB_LIBPQ_ROOT}; "
               "OpenSSL ${OPENSSL_VERSION} (${VIDB_LIBSSL_A}, ${VIDB_LIBCRYPTO_A}); "
               "fmt ${VIDB_FMT_TARGET}; linker flags:${CMAKE_EXE_LINKER_FLAGS}")
unset(_vidb_pq_hint)
unset(_vidb_stamp)
unset(_n)
unset(_t)
unset(_lib)
unset(_loc)
unset(_v)
