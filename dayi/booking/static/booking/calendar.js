// The availability calendar: free windows from the JSON endpoint; selecting free time fills
// the booking form (datetime-local inputs) so that the form stays the one source of the request.
(function () {
  "use strict";
  const element = document.getElementById("calendar");
  if (!element || !window.FullCalendar) { return; }
  const texts = JSON.parse(document.getElementById("calendar-texts").textContent);
  const step = Number(element.dataset.step) || 30;
  const pad = (n) => String(n).padStart(2, "0");
  const local = (d) => `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
  const narrow = window.matchMedia("(max-width: 576px)").matches;
  const calendar = new FullCalendar.Calendar(element, {
    initialView: narrow ? "timeGridDay" : "timeGridWeek",
    initialDate: element.dataset.firstDay || undefined,
    headerToolbar: { left: "prev,next today", center: "title", right: narrow ? "timeGridDay,listWeek" : "timeGridWeek,timeGridDay,listWeek" },
    buttonText: { today: texts.today, week: texts.week, day: texts.day, list: texts.list },
    locale: texts.locale,
    firstDay: 1,
    allDaySlot: false,
    nowIndicator: true,
    slotMinTime: "07:00:00",
    slotMaxTime: "22:00:00",
    slotDuration: { minutes: step },
    snapDuration: { minutes: step },
    height: "auto",
    selectable: true,
    selectMirror: true,
    selectOverlap: (event) => event.groupId === "open",
    selectConstraint: "open",
    events: element.dataset.events,
    select(info) {
      const start = document.getElementById("id_starts_at");
      const end = document.getElementById("id_ends_at");
      if (!start || !end) { return; }
      start.value = local(info.start);
      end.value = local(info.end);
      document.getElementById("id_purpose").focus();
    },
  });
  calendar.render();
})();
