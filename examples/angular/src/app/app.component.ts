// <oms-progress-card> in a standalone Angular component: CUSTOM_ELEMENTS_SCHEMA lets the
// template use the element; properties are bound with [projectId], events heard with (oms-…).
import { CUSTOM_ELEMENTS_SCHEMA, Component, ElementRef, signal, viewChildren } from "@angular/core";
import type { OmsErrorDetail, OmsProgressCardElement, OmsProgressDetail } from "oms-progress-card";

@Component({
  selector: "app-root",
  schemas: [CUSTOM_ELEMENTS_SCHEMA],
  template: `
    <button id="refresh-all" (click)="refreshAll()">Refresh all</button>
    <output id="statuses">{{ statuses().join(",") }}</output>
    @for (id of ids(); track id) {
      <oms-progress-card #card [projectId]="id" [proxyUrl]="proxyUrl" interval="1"
          (oms-progress)="onProgress($event)" (oms-error)="onError($event)">
        <span slot="title">Task {{ id }}</span>
      </oms-progress-card>
    }
  `,
})
export class AppComponent {
  // Where the reference proxy is (the page's own origin by default; `?proxy=` for the tests).
  readonly proxyUrl = new URLSearchParams(location.search).get("proxy") ?? "/oms";
  readonly ids = signal(["np_angular_orders", "np_angular_billing"]);
  readonly statuses = signal<string[]>([]);
  readonly cards = viewChildren<ElementRef<OmsProgressCardElement>>("card");

  onProgress(event: Event) {
    const status = (event as CustomEvent<OmsProgressDetail>).detail.status ?? "";
    this.statuses.update((seen) => (seen.includes(status) ? seen : [...seen, status]));
  }

  onError(event: Event) {
    console.warn("card error", (event as CustomEvent<OmsErrorDetail>).detail.kind);
  }

  refreshAll() {
    for (const card of this.cards()) card.nativeElement.refresh();
  }
}
