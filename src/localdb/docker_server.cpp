#include "localdb/docker_server.h"

#include "common/error.h"
#include "localdb/instance.h"
#include "localdb/port_check.h"
#include "localdb/process.h"

#include <filesystem>

namespace vidb::localdb {

namespace {

// Labels the container with the project directory, so that two projects with the same
// folder name do not take over each other's container.
constexpr const char* k_project_label = "dev.vidb.project";

Outcome call_docker(const DockerServer& server, std::vector<std::string> args, std::chrono::seconds timeout,
    const std::vector<std::string>& env = {})
{
    args.insert(args.begin(), server.docker);
    return run({ .argv = std::move(args), .env = child_environment(env), .timeout = timeout });
}

std::string trimmed(std::string text)
{
    while (!text.empty() && (text.back() == '\n' || text.back() == '\r' || text.back() == ' ')) {
        text.pop_back();
    }
    return text;
}

[[noreturn]] void docker_failed(const std::string& what, const Outcome& outcome)
{
    auto details = last_lines(outcome.output, 5);
    if (outcome.timed_out) {
        details.push_back("the docker command did not finish in time");
    }
    throw Error(ExitCode::failure, what, details);
}

} // namespace

std::optional<DockerServer> DockerServer::detect(const std::string& image)
{
    const auto client = find_program("docker");
    if (!client) {
        return std::nullopt;
    }
    DockerServer server { *client, image };
    // A client without an engine fails at once; a hung engine must not hang vidb up.
    if (!call_docker(server, { "info", "--format", "{{.ServerVersion}}" }, std::chrono::seconds(5)).ok()) {
        return std::nullopt;
    }
    return server;
}

std::string DockerServer::name(int port) const
{
    return "vidb-" + project_slug() + "-" + std::to_string(port);
}

StartOutcome DockerServer::start(const LocalTarget& target, const Progress& progress) const
{
    const std::string container = name(target.port);
    const std::string project = std::filesystem::current_path().string();
    StartOutcome outcome { "docker", false, "container " + container, "docker logs " + container };
    const Outcome inspect = call_docker(*this,
        { "inspect", "--format", "{{.State.Running}} {{index .Config.Labels \"" + std::string(k_project_label) + "\"}}",
            container },
        std::chrono::seconds(30));
    if (inspect.ok()) {
        const std::string state = trimmed(inspect.output);
        const std::string owner = state.substr(std::min(state.size(), state.find(' ') + 1));
        if (owner != project) {
            throw Error(ExitCode::failure,
                "a container named " + container + " already exists for another project ("
                    + (owner.empty() ? "not made by vidb" : owner) + ")",
                { "rename this folder, use another port, or remove that container (docker rm -f " + container + ")" });
        }
        if (state.starts_with("true")) {
            outcome.already_running = true;
            return outcome;
        }
        progress("Starting container " + container);
        if (const Outcome started = call_docker(*this, { "start", container }, std::chrono::seconds(120));
            !started.ok()) {
            docker_failed("could not start container " + container, started);
        }
        return outcome;
    }
    if (const PortCheck port = check_port(target.listen, target.port); port.taken) {
        throw_port_taken(target, port.address, port.holder);
    }
    progress("Starting container " + container + " (" + image + ", data in volume " + container + ")");
    // The values travel in the client's environment: `-e NAME` without `=value`.
    const Outcome created = call_docker(*this,
        { "run", "--detach", "--name", container, "--label", std::string(k_project_label) + "=" + project, "--publish",
            target.docker_address() + ":" + std::to_string(target.port) + ":5432", "--volume",
            container + ":/var/lib/postgresql/data", "--env", "POSTGRES_USER", "--env", "POSTGRES_DB", "--env",
            "POSTGRES_PASSWORD", image },
        std::chrono::seconds(600),
        { "POSTGRES_USER=" + target.user, "POSTGRES_DB=" + target.dbname, "POSTGRES_PASSWORD=" + target.password });
    if (!created.ok()) {
        docker_failed("could not start a " + image + " container", created);
    }
    return outcome;
}

StopOutcome DockerServer::stop(int port, bool purge) const
{
    const std::string container = name(port);
    const Outcome inspect
        = call_docker(*this, { "inspect", "--format", "{{.State.Running}}", container }, std::chrono::seconds(30));
    StopOutcome outcome = StopOutcome::nothing;
    if (inspect.ok()) {
        outcome = trimmed(inspect.output) == "true" ? StopOutcome::stopped : StopOutcome::was_stopped;
        if (outcome == StopOutcome::stopped) {
            // The postgres image stops on SIGINT: PostgreSQL's fast shutdown.
            if (const Outcome stopped
                = call_docker(*this, { "stop", "--time", "60", container }, std::chrono::seconds(90));
                !stopped.ok()) {
                docker_failed("could not stop container " + container, stopped);
            }
        }
        if (purge) {
            if (const Outcome removed = call_docker(*this, { "rm", "--force", container }, std::chrono::seconds(60));
                !removed.ok()) {
                docker_failed("could not remove container " + container, removed);
            }
        }
    }
    if (purge) {
        // The volume may outlive a container removed by hand.
        const Outcome volume = call_docker(*this, { "volume", "rm", container }, std::chrono::seconds(60));
        if (!volume.ok() && volume.output.find("no such volume") == std::string::npos
            && volume.output.find("No such volume") == std::string::npos) {
            docker_failed("could not remove volume " + container, volume);
        }
    }
    return outcome;
}

} // namespace vidb::localdb
