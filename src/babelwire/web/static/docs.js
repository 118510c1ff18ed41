// Start Swagger UI on /docs from local files (the CSP allows no inline script and no CDN).
"use strict";
window.addEventListener("DOMContentLoaded", function () {
  window.SwaggerUIBundle({ url: "/openapi.json", dom_id: "#swagger-ui", deepLinking: true });
});
