#include "web/assets.hpp"

namespace loadcast::web {

std::string ContentTypeOf(std::string_view path) {
  const auto ends_with = [path](std::string_view suffix) { return path.ends_with(suffix); };
  if (ends_with(".html")) return "text/html; charset=utf-8";
  if (ends_with(".js")) return "text/javascript; charset=utf-8";
  if (ends_with(".css")) return "text/css; charset=utf-8";
  if (ends_with("LICENSE") || ends_with("README.md") || ends_with(".txt")) {
    return "text/plain; charset=utf-8";
  }
  return "application/octet-stream";
}

std::optional<Asset> FindAsset(std::string_view path) {
  for (const EmbeddedFile& file : EmbeddedFiles()) {
    if (path == file.path) {
      return Asset{{reinterpret_cast<const char*>(file.data), file.size}, ContentTypeOf(path)};
    }
  }
  return std::nullopt;
}

}  // namespace loadcast::web
