#include "server/graceful_http_server.h"

#include <arpa/inet.h>
#include <dirent.h>
#include <netinet/in.h>
#include <sys/socket.h>

#include <cstdlib>
#include <optional>

namespace telltale {
namespace {

// The peer of a TCP socket accepted on `port`, or nothing for other descriptors.
std::optional<std::pair<std::string, int>> PeerOf(int fd, int port) {
  sockaddr_storage local{};
  socklen_t length = sizeof(local);
  if (getsockname(fd, reinterpret_cast<sockaddr*>(&local), &length) != 0) return std::nullopt;
  int local_port =
      local.ss_family == AF_INET    ? ntohs(reinterpret_cast<sockaddr_in*>(&local)->sin_port)
      : local.ss_family == AF_INET6 ? ntohs(reinterpret_cast<sockaddr_in6*>(&local)->sin6_port)
                                    : -1;
  if (local_port != port) return std::nullopt;
  sockaddr_storage peer{};
  length = sizeof(peer);
  if (getpeername(fd, reinterpret_cast<sockaddr*>(&peer), &length) != 0) return std::nullopt;
  char address[INET6_ADDRSTRLEN] = {};
  int peer_port = 0;
  if (peer.ss_family == AF_INET) {
    auto* in = reinterpret_cast<sockaddr_in*>(&peer);
    inet_ntop(AF_INET, &in->sin_addr, address, sizeof(address));
    peer_port = ntohs(in->sin_port);
  } else if (peer.ss_family == AF_INET6) {
    auto* in = reinterpret_cast<sockaddr_in6*>(&peer);
    inet_ntop(AF_INET6, &in->sin6_addr, address, sizeof(address));
    peer_port = ntohs(in->sin6_port);
  } else {
    return std::nullopt;
  }
  return std::make_pair(std::string(address), peer_port);
}

}  // namespace

int GracefulHttpServer::Bind(const std::string& host, int port) {
  // httplib creates the socket, calls this, binds it and listens with a queue of five; the last
  // socket this saw is the one bound (a host of several addresses is tried one at a time).
  set_socket_options([this](socket_t socket) {
    int yes = 1;
    setsockopt(socket, SOL_SOCKET, SO_REUSEADDR, &yes, sizeof(yes));
    listening_socket_ = socket;
  });
  int bound = port == 0 ? bind_to_any_port(host) : (bind_to_port(host, port) ? port : -1);
  // Listening again on a listening socket only changes its queue's length.
  if (bound > 0 && ::listen(listening_socket_, SOMAXCONN) != 0) return -1;
  return bound;
}

void GracefulHttpServer::RequestStarted(const httplib::Request& request) {
  std::lock_guard lock(mutex_);
  busy_.emplace(request.remote_addr, request.remote_port);
}

void GracefulHttpServer::RequestFinished(const httplib::Request& request) {
  std::lock_guard lock(mutex_);
  Peer peer(request.remote_addr, request.remote_port);
  auto found = busy_.find(peer);
  if (found != busy_.end()) busy_.erase(found);
  // The response is written. A connection with unread request bytes is shut both ways, so they
  // are never answered as a request; at shutdown, the client's next request finds it closed.
  if (closing_.erase(peer) > 0) {
    CloseConnections(&peer, SHUT_RDWR);
  } else if (shutting_down_) {
    CloseConnections(&peer, SHUT_RD);
  }
}

void GracefulHttpServer::Shutdown() {
  stop();
  std::lock_guard lock(mutex_);
  shutting_down_ = true;
  CloseConnections(nullptr, SHUT_RD);
}

void GracefulHttpServer::CloseAfterResponse(const httplib::Request& request,
                                            httplib::Response& response) {
  response.set_header("Connection", "close");
  std::lock_guard lock(mutex_);
  closing_.emplace(request.remote_addr, request.remote_port);
}

void GracefulHttpServer::CloseConnections(const Peer* only, int how) {
  DIR* descriptors = opendir("/proc/self/fd");
  if (descriptors == nullptr) return;
  while (dirent* entry = readdir(descriptors)) {
    int fd = std::atoi(entry->d_name);
    if (fd <= 2 || fd == dirfd(descriptors)) continue;
    std::optional<Peer> peer = PeerOf(fd, port_);
    if (!peer) continue;
    bool close = only ? *peer == *only : busy_.count(*peer) == 0;
    if (close) ::shutdown(fd, how);
  }
  closedir(descriptors);
}

}  // namespace telltale
