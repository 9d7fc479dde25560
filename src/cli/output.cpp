#include "cli/output.h"

#include "config/secrets.h"

#include <cstdlib>
#include <unistd.h>

namespace vidb::cli {

namespace {

bool color_allowed(int fd, bool no_color)
{
    const char* no_color_env = std::getenv("NO_COLOR");
    const char* term = std::getenv("TERM");
    return !no_color && (no_color_env == nullptr || *no_color_env == '\0') && isatty(fd) != 0
        && (term == nullptr || std::string_view(term) != "dumb");
}

// An error or warning stays one readable line even when it quotes a huge input (a 1 MB
// URL): the middle goes. Called after redact(), so no secret is cut into unmaskable parts.
std::string shorten(std::string text)
{
    constexpr std::size_t k_head = 600;
    constexpr std::size_t k_tail = 200;
    if (text.size() <= k_head + k_tail + 100) {
        return text;
    }
    const auto continuation = [&](std::size_t i) { return (static_cast<unsigned char>(text[i]) & 0xC0) == 0x80; };
    std::size_t head = k_head;
    while (head > 0 && continuation(head)) {
        --head;
    }
    std::size_t tail = text.size() - k_tail;
    while (tail < text.size() && continuation(tail)) {
        ++tail;
    }
    return text.substr(0, head) + " [... " + std::to_string(tail - head) + " bytes left out ...] " + text.substr(tail);
}

} // namespace

Output::Output(bool quiet, bool no_color, bool json)
    : m_quiet(quiet)
    , m_color(color_allowed(STDOUT_FILENO, no_color))
    , m_json(json)
    , m_error_color(color_allowed(STDERR_FILENO, no_color))
{
}

void Output::write(std::FILE* stream, std::string_view line) const
{
    const std::string safe = config::redact(line);
    std::fwrite(safe.data(), 1, safe.size(), stream);
    std::fputc('\n', stream);
    std::fflush(stream);
}

void Output::progress(std::string_view line) const
{
    if (!m_quiet && !m_json) {
        write(stdout, line);
    }
}

void Output::result(std::string_view line) const
{
    write(stdout, line);
}

namespace {

Json masked(const Json& value)
{
    if (value.is_string()) {
        return config::redact(value.get_ref<const std::string&>());
    }
    if (value.is_structured()) {
        Json copy = value;
        for (auto& item : copy) {
            item = masked(item);
        }
        return copy;
    }
    return value;
}

} // namespace

void Output::document(const Json& document) const
{
    masked_document(json_dump(masked(document)));
}

void Output::masked_document(std::string_view text) const
{
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

void Output::warning(std::string_view line) const
{
    write(
        stderr, (m_error_color ? "\033[33mvidb: warning:\033[0m " : "vidb: warning: ") + shorten(config::redact(line)));
}

void Output::error(std::string_view message) const
{
    write(stderr,
        (m_error_color ? "\033[1;31mvidb: error:\033[0m " : "vidb: error: ") + shorten(config::redact(message)));
}

void Output::error_detail(std::string_view line) const
{
    write(stderr, "  " + std::string(line));
}

std::string Output::paint(std::string_view text, Tone tone) const
{
    if (!m_color || tone == Tone::plain) {
        return std::string(text);
    }
    const char* code = tone == Tone::good ? "32"
        : tone == Tone::bad               ? "31"
        : tone == Tone::warn              ? "33"
        : tone == Tone::dim               ? "2"
                                          : "1";
    return std::string("\033[") + code + "m" + std::string(text) + "\033[0m";
}

} // namespace vidb::cli
