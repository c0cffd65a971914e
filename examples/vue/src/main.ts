import { createApp } from "vue";
import init from "oms-progress-card";
import App from "./App.vue";

await init(); // defines <oms-progress-card>
createApp(App).mount("#app");
