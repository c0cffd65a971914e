import { defineConfig } from "vite";
import vue from "@vitejs/plugin-vue";

export default defineConfig({
  plugins: [
    vue({
      // <oms-progress-card> and <oms-project-list> are custom elements, not Vue components.
      template: { compilerOptions: { isCustomElement: (tag) => tag === "oms-progress-card" || tag === "oms-project-list" } },
    }),
  ],
});
