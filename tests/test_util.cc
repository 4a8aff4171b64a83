#include "test_util.h"

#include <fcntl.h>
#include <poll.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <gtest/gtest.h>

namespace mindcards::testing {

std::string SharedDir() {
  std::error_code ec;
  if (std::filesystem::is_directory(MINDCARDS_SHARED_DIR "/corpus", ec)) {
    return MINDCARDS_SHARED_DIR;
  }
  return "";
}

std::string SourceDir() { return MINDCARDS_SOURCE_DIR; }
std::string BinaryPath() { return MINDCARDS_BINARY; }

std::string ReadFileOrDie(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) {
    ADD_FAILURE() << "cannot read " << path;
    return "";
  }
  std::ostringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

std::vector<std::string> ListFiles(const std::string& dir,
                                   const std::vector<std::string>& suffixes) {
  std::vector<std::string> out;
  std::error_code ec;
  for (auto it = std::filesystem::recursive_directory_iterator(dir, ec);
       !ec && it != std::filesystem::recursive_directory_iterator(); ++it) {
    if (!it->is_regular_file()) continue;
    std::string p = it->path().string();
    for (const std::string& s : suffixes) {
      if (p.size() >= s.size() && p.compare(p.size() - s.size(), s.size(), s) == 0) {
        out.push_back(p);
        break;
      }
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

RunResult RunCli(const std::vector<std::string>& args,
                 const std::string& stdin_data) {
  RunResult result;
  int in_pipe[2], out_pipe[2], err_pipe[2];
  if (pipe(in_pipe) != 0 || pipe(out_pipe) != 0 || pipe(err_pipe) != 0) {
    ADD_FAILURE() << "pipe failed";
    return result;
  }
  pid_t pid = fork();
  if (pid == 0) {
    dup2(in_pipe[0], 0);
    dup2(out_pipe[1], 1);
    dup2(err_pipe[1], 2);
    for (int fd : {in_pipe[0], in_pipe[1], out_pipe[0], out_pipe[1],
                   err_pipe[0], err_pipe[1]}) {
      close(fd);
    }
    std::vector<char*> argv;
    std::string bin = BinaryPath();
    argv.push_back(bin.data());
    std::vector<std::string> copy = args;
    for (std::string& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    execv(bin.c_str(), argv.data());
    _exit(127);
  }
  close(in_pipe[0]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  size_t written = 0;
  if (stdin_data.empty()) {
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    pollfd fds[3] = {{out_open ? out_pipe[0] : -1, POLLIN, 0},
                     {err_open ? err_pipe[0] : -1, POLLIN, 0},
                     {in_pipe[1], POLLOUT, 0}};
    poll(fds, 3, 1000);
    if (fds[0].revents) {
      ssize_t n = read(out_pipe[0], buf, sizeof buf);
      if (n <= 0) out_open = false; else result.out.append(buf, n);
    }
    if (fds[1].revents) {
      ssize_t n = read(err_pipe[0], buf, sizeof buf);
      if (n <= 0) err_open = false; else result.err.append(buf, n);
    }
    if (in_pipe[1] >= 0 && (fds[2].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t n = write(in_pipe[1], stdin_data.data() + written,
                        stdin_data.size() - written);
      if (n > 0) written += n;
      if (n < 0 || written == stdin_data.size()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
      }
    }
  }
  if (in_pipe[1] >= 0) close(in_pipe[1]);
  close(out_pipe[0]);
  close(err_pipe[0]);
  int status = 0;
  waitpid(pid, &status, 0);
  result.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
  return result;
}

}  // namespace mindcards::testing
