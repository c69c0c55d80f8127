// API keys and projects:
//   GET    /api/v1/keys            the project's keys, without secrets
//   POST   /api/v1/keys            {"name", "role"} -> the key, with its secret shown once
//   DELETE /api/v1/keys/{id}       revoke
//   POST   /api/v1/projects        {"name"} -> a new project and its first admin key
//                                  (admin keys of the first project only)
//   GET    /api/v1/projects        the caller's project (every project for the first project's
//   admins)
#include "server/api_keys.h"
#include "server/routes.h"

namespace telltale {
namespace {

nlohmann::json KeyJson(const ApiKeyRecord& key) {
  nlohmann::json json = {{"id", key.id},
                         {"name", key.name},
                         {"role", RoleName(key.role)},
                         {"prefix", key.prefix},
                         {"created_at", FormatRfc3339(key.created_at)},
                         {"revoked_at", nullptr}};
  if (key.revoked_at) json["revoked_at"] = FormatRfc3339(*key.revoked_at);
  return json;
}

nlohmann::json ProjectJson(const Project& project) {
  return {{"id", project.id},
          {"name", project.name},
          {"created_at", FormatRfc3339(project.created_at)}};
}

// Creates a key and returns it with its secret.
Result<nlohmann::json> IssueKey(ServerContext& context, int64_t project_id, const std::string& name,
                                Role role) {
  std::string secret = GenerateKeySecret();
  TELLTALE_ASSIGN_OR_RETURN(
      ApiKeyRecord key, context.control->CreateKey(project_id, name, role, HashKeySecret(secret),
                                                   KeyPrefix(secret), context.clock->Now()));
  nlohmann::json json = KeyJson(key);
  json["secret"] = secret;
  return json;
}

}  // namespace

void RegisterKeyRoutes(httplib::Server& server, ServerContext& context) {
  server.Get(
      "/api/v1/keys", [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kAdmin);
        if (!principal) return;
        Result<std::vector<ApiKeyRecord>> keys = context.control->ListKeys(principal->project_id);
        if (!keys.ok()) return SendError(response, keys.status());
        nlohmann::json list = nlohmann::json::array();
        for (const ApiKeyRecord& key : *keys) list.push_back(KeyJson(key));
        SendJson(response, 200, {{"keys", list}});
      });

  server.Post("/api/v1/keys",
              [&context](const httplib::Request& request, httplib::Response& response) {
                auto principal = Authorize(context, request, response, Access::kAdmin);
                if (!principal) return;
                Result<nlohmann::json> body = JsonBody(request);
                if (!body.ok()) return SendError(response, body.status());
                std::string name = StringMember(*body, "name");
                if (name.empty() || name.size() > 200) {
                  return SendProblem(response, 422, "name: required, at most 200 characters");
                }
                std::optional<Role> role = ParseRole(StringMember(*body, "role"));
                if (!role) return SendProblem(response, 422, "role: one of admin, write, read");
                Result<nlohmann::json> key = IssueKey(context, principal->project_id, name, *role);
                if (!key.ok()) return SendError(response, key.status());
                SendJson(response, 201, *key);
              });

  server.Delete(R"(/api/v1/keys/(\d+))",
                [&context](const httplib::Request& request, httplib::Response& response) {
                  auto principal = Authorize(context, request, response, Access::kAdmin);
                  if (!principal) return;
                  int64_t key_id = std::stoll(request.matches[1]);
                  Status revoked = context.control->RevokeKey(principal->project_id, key_id,
                                                              context.clock->Now());
                  if (!revoked.ok()) return SendError(response, revoked);
                  response.status = 204;
                });

  server.Post(
      "/api/v1/projects", [&context](const httplib::Request& request, httplib::Response& response) {
        auto principal = Authorize(context, request, response, Access::kAdmin);
        if (!principal) return;
        if (principal->project_id != context.bootstrap_project_id) {
          return SendProblem(response, 403, "only admin keys of the first project create projects");
        }
        Result<nlohmann::json> body = JsonBody(request);
        if (!body.ok()) return SendError(response, body.status());
        std::string name = StringMember(*body, "name");
        Status valid = ValidateName("project name", name);
        if (!valid.ok()) return SendProblem(response, 422, valid.message());
        Result<Project> project = context.control->CreateProject(name, context.clock->Now());
        if (!project.ok()) return SendError(response, project.status());
        Result<nlohmann::json> key = IssueKey(context, project->id, "admin", Role::kAdmin);
        if (!key.ok()) return SendError(response, key.status());
        nlohmann::json json = ProjectJson(*project);
        json["admin_key"] = *key;
        SendJson(response, 201, json);
      });

  server.Get("/api/v1/projects",
             [&context](const httplib::Request& request, httplib::Response& response) {
               auto principal = Authorize(context, request, response, Access::kRead);
               if (!principal) return;
               Result<std::vector<Project>> projects = context.control->ListProjects();
               if (!projects.ok()) return SendError(response, projects.status());
               bool all = principal->role == Role::kAdmin &&
                          principal->project_id == context.bootstrap_project_id;
               nlohmann::json list = nlohmann::json::array();
               for (const Project& project : *projects) {
                 if (all || project.id == principal->project_id)
                   list.push_back(ProjectJson(project));
               }
               SendJson(response, 200, {{"projects", list}});
             });
}

}  // namespace telltale
