#include "localdb/server.h"

#include "common/error.h"

namespace vidb::localdb {

void throw_port_taken(const LocalTarget& target, const std::string& address, const std::string& holder)
{
    const std::string port = std::to_string(target.port);
    std::vector<std::string> details;
    const int other = target.port == 65535 ? 15432 : target.port + 1;
    details.push_back(
        "pick another port in " + target.source + ", e.g. " + std::to_string(other) + ", or stop that program");
    if (holder.empty() || holder.starts_with("postgres") || holder.starts_with("docker")) {
        details.push_back("another PostgreSQL? the system's service (systemctl stop postgresql), a container, or "
                          "another project's vidb up (vidb down there)");
    }
    throw Error(ExitCode::failure,
        "port " + port + " on " + address + " is already in use" + (holder.empty() ? "" : " by " + holder)
            + ", so vidb up cannot start PostgreSQL there",
        details);
}

} // namespace vidb::localdb
