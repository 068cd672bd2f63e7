/*
 * page_program.h - a program's page and its rules as data.
 */
#ifndef GONGSHI_PAGE_PROGRAM_H
#define GONGSHI_PAGE_PROGRAM_H

#include "build.h"

/* A period's unit in words ("天", "个工作日"). */
const char *unit_zh(enum period_unit u);

/* Writes program p's page; appends its summary to programs.  0 or < 0. */
int page_program(struct site *S, const struct program *p, cJSON *programs);

#endif
