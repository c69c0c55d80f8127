// GracefulHttpServer: an httplib::Server whose Shutdown() does not wait for idle keep-alive
// connections.
//
// httplib's stop() closes the listening socket, but a worker waiting on an idle keep-alive
// connection notices only after the keep-alive timeout. This server knows which clients have a
// request in progress (by their address) and, on Shutdown(), half-closes (SHUT_RD) the connections
// of all other clients at once and each busy one as soon as its response is written: requests in
// flight finish, nobody waits for a client's next request.
//
// Bind() listens with a queue as long as the system allows (SOMAXCONN) instead of httplib's five:
// while the server is busy, connections beyond the queue have their SYNs dropped, and each such
// client tries again only after a second (then three, seven).
#ifndef TELLTALE_SERVER_GRACEFUL_HTTP_SERVER_H_
#define TELLTALE_SERVER_GRACEFUL_HTTP_SERVER_H_

#include <httplib.h>

#include <mutex>
#include <set>
#include <string>
#include <utility>

namespace telltale {

class GracefulHttpServer : public httplib::Server {
 public:
  explicit GracefulHttpServer(int port = 0) : port_(port) {}
  void set_port(int port) { port_ = port; }

  // Binds `host`:`port` (0: any free port) with address reuse but not SO_REUSEPORT (httplib's
  // default: a second server on the same port must fail to start, not share it), and a listen
  // queue of SOMAXCONN. Returns the port, or -1.
  int Bind(const std::string& host, int port);

  // From the pre-routing handler and the logger: a request started / was answered.
  void RequestStarted(const httplib::Request& request);
  void RequestFinished(const httplib::Request& request);
  // Stops accepting and closes every connection once it is idle.
  void Shutdown();
  // Closes the request's connection once the answer is written (call from its handler): the
  // client's unread bytes are not taken for a next request. The answer carries
  // `Connection: close`; without it a client may send its next request on the closing connection
  // and see it dropped unanswered.
  void CloseAfterResponse(const httplib::Request& request, httplib::Response& response);

 private:
  using Peer = std::pair<std::string, int>;
  // Shuts down (`how`: SHUT_RD or SHUT_RDWR) this process's connections on the server port, those
  // to `only` if given, else all but the busy ones.
  void CloseConnections(const Peer* only, int how);

  int port_;
  int listening_socket_ = -1;
  std::mutex mutex_;
  std::multiset<Peer> busy_;
  std::set<Peer> closing_;  // to close once their answer is written
  bool shutting_down_ = false;
};

}  // namespace telltale

#endif  // TELLTALE_SERVER_GRACEFUL_HTTP_SERVER_H_
