// The OpenAPI document (api/openapi.yaml), compiled into the binary at build time.
#ifndef TELLTALE_SERVER_OPENAPI_DOCUMENT_H_
#define TELLTALE_SERVER_OPENAPI_DOCUMENT_H_

#include <string_view>

namespace telltale {

std::string_view OpenApiDocument();

}  // namespace telltale

#endif  // TELLTALE_SERVER_OPENAPI_DOCUMENT_H_
