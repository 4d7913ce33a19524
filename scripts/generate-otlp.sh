#!/usr/bin/env bash
# Regenerates Sources/ObsIngest/OTLP/Generated from Protos/ (run after editing a .proto).
# Needs protoc (Debian: protobuf-compiler) and protoc-gen-swift of the swift-protobuf version
# in Package.swift; build the plugin once in a scratch checkout:
#   git clone --branch 1.39.0 https://github.com/apple/swift-protobuf /tmp/swift-protobuf
#   (cd /tmp/swift-protobuf && swift build -c release --product protoc-gen-swift)
# and set PROTOC_GEN_SWIFT to the built binary.
set -euo pipefail
cd "$(dirname "$0")/.."
plugin="${PROTOC_GEN_SWIFT:-/tmp/swift-protobuf/.build/release/protoc-gen-swift}"
out=Sources/ObsIngest/OTLP/Generated
rm -rf "$out" && mkdir -p "$out"
protoc --plugin=protoc-gen-swift="$plugin" -I Protos \
  --swift_out="$out" --swift_opt=Visibility=Internal --swift_opt=FileNaming=PathToUnderscores \
  $(cd Protos && find . -name '*.proto' | sed 's|^\./||' | sort)
echo "generated: $(ls "$out" | tr '\n' ' ')"
