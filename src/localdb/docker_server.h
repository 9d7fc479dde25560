#pragma once

#include "localdb/server.h"

#include <optional>
#include <string>

namespace vidb::localdb {

// A postgres container (image VIDB_DOCKER_IMAGE, default postgres:16-alpine) named
// vidb-<project>-<port>, its data in the volume of the same name, its port published
// on the URL's loopback address only. The password reaches the container through the
// docker client's environment (`-e POSTGRES_PASSWORD` without a value), so it is on
// no command line.
inline constexpr const char* k_default_image = "postgres:16-alpine";

struct DockerServer {
    std::string docker; // the docker client's path
    std::string image;

    // The client, when `docker info` answers within a few seconds (an engine is running).
    static std::optional<DockerServer> detect(const std::string& image);

    std::string name(int port) const;
    StartOutcome start(const LocalTarget& target, const Progress& progress) const;
    // Stops the container (if any); with `purge` also removes it and its volume.
    StopOutcome stop(int port, bool purge) const;
};

} // namespace vidb::localdb
