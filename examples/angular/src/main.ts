import { provideZonelessChangeDetection } from "@angular/core";
import { bootstrapApplication } from "@angular/platform-browser";
import init from "oms-progress-card";
import { AppComponent } from "./app/app.component";

await init(); // defines <oms-progress-card>
await bootstrapApplication(AppComponent, { providers: [provideZonelessChangeDetection()] });
