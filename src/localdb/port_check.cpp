#include "localdb/port_check.h"

#include <arpa/inet.h>
#include <cerrno>
#include <filesystem>
#include <fstream>
#include <netinet/in.h>
#include <sstream>
#include <sys/socket.h>
#include <unistd.h>

#include <vector>

namespace vidb::localdb {

namespace {

namespace fs = std::filesystem;

// errno of bind(address:port); 0 when it would work.
int bind_error(const std::string& address, int port)
{
    sockaddr_storage storage {};
    socklen_t length = 0;
    int family = AF_INET;
    if (address.find(':') != std::string::npos) {
        family = AF_INET6;
        auto* v6 = reinterpret_cast<sockaddr_in6*>(&storage);
        v6->sin6_family = AF_INET6;
        v6->sin6_port = htons(static_cast<std::uint16_t>(port));
        if (inet_pton(AF_INET6, address.c_str(), &v6->sin6_addr) != 1) {
            return EADDRNOTAVAIL;
        }
        length = sizeof *v6;
    } else {
        auto* v4 = reinterpret_cast<sockaddr_in*>(&storage);
        v4->sin_family = AF_INET;
        v4->sin_port = htons(static_cast<std::uint16_t>(port));
        if (inet_pton(AF_INET, address.c_str(), &v4->sin_addr) != 1) {
            return EADDRNOTAVAIL;
        }
        length = sizeof *v4;
    }
    const int fd = socket(family, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        return errno;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    const int result = bind(fd, reinterpret_cast<sockaddr*>(&storage), length) == 0 ? 0 : errno;
    close(fd);
    return result;
}

// Socket inodes listening on `port`, from /proc/net/tcp and tcp6 (Linux only).
std::vector<std::string> listening_inodes(int port)
{
    char suffix[8];
    std::snprintf(suffix, sizeof suffix, ":%04X", port);
    std::vector<std::string> inodes;
    for (const char* table : { "/proc/net/tcp", "/proc/net/tcp6" }) {
        std::ifstream in(table);
        std::string line;
        std::getline(in, line); // header
        while (std::getline(in, line)) {
            std::istringstream fields(line);
            std::string slot, local, remote, state, queues, timer, retransmits, uid, timeout, inode;
            fields >> slot >> local >> remote >> state >> queues >> timer >> retransmits >> uid >> timeout >> inode;
            if (state == "0A" && local.ends_with(suffix) && !inode.empty() && inode != "0") {
                inodes.push_back(inode);
            }
        }
    }
    return inodes;
}

// "name (pid N)" of a process holding one of the sockets; needs permission to read its fds.
std::string holder_of(const std::vector<std::string>& inodes)
{
    std::error_code ec;
    for (fs::directory_iterator it("/proc", ec), end; !ec && it != end; it.increment(ec)) {
        const std::string pid = it->path().filename().string();
        if (pid.find_first_not_of("0123456789") != std::string::npos) {
            continue;
        }
        std::error_code fd_ec;
        for (fs::directory_iterator fd(it->path() / "fd", fd_ec), fd_end; !fd_ec && fd != fd_end; fd.increment(fd_ec)) {
            std::error_code link_ec;
            const std::string target = fs::read_symlink(fd->path(), link_ec).string();
            for (const auto& inode : inodes) {
                if (!link_ec && target == "socket:[" + inode + "]") {
                    std::ifstream comm(it->path() / "comm");
                    std::string name;
                    std::getline(comm, name);
                    return (name.empty() ? "a process" : name) + " (pid " + pid + ")";
                }
            }
        }
    }
    return "";
}

} // namespace

PortCheck check_port(const std::string& listen, int port)
{
    const std::vector<std::string> addresses
        = listen == "localhost" ? std::vector<std::string> { "127.0.0.1", "::1" } : std::vector<std::string> { listen };
    PortCheck check;
    for (const auto& address : addresses) {
        if (bind_error(address, port) == EADDRINUSE) {
            check.taken = true;
            check.address = address;
            check.holder = holder_of(listening_inodes(port));
            return check;
        }
    }
    return check;
}

} // namespace vidb::localdb
