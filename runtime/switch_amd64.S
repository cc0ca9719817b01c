/*
 * switch_amd64.S — the context switches, x86-64 System V.
 *
 * A G never switches to another G: it switches out to its M's scheduler
 * context (g0), and g0 switches in to the next G.  A switched-out context
 * is just its stack pointer; the stack holds, from low to high address:
 *
 *   G:  FP control word (mxcsr in the low 4 bytes, x87 control word above),
 *       r15, r14, r13, r12, rbx, rbp, return address
 *   g0: r15, r14, r13, r12, rbx, rbp, return address
 *
 * Those are the registers a called function must preserve; the FP control
 * state (rounding mode, exception masks) is callee-saved too, and belongs to
 * each goroutine.  Only the G side saves it: g0 runs runtime code, which
 * does no floating point.  Switching in, the G's FP word is compared with
 * the one the thread has (*fpcur) and loaded only if it differs, because
 * ldmxcsr and fldcw are slow and nearly every goroutine keeps the default.
 *
 * Resuming ends in `jmp *%rcx`, not `ret`: a ret would be mispredicted on
 * every switch (the return stack buffer holds the caller of this switch,
 * not the one being resumed).
 */
#if defined(__x86_64__)
	.text

/* void go__ctx_switch_out(void **save_sp, void *g0_sp)
 * From a G: save it with its FP control word; resume g0. */
	.globl	go__ctx_switch_out
	.type	go__ctx_switch_out, @function
	.p2align 4
go__ctx_switch_out:
	.cfi_startproc
#if defined(__CET__)
	endbr64
#endif
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	pushq	$0              /* the FP word, padding defined */
	stmxcsr	(%rsp)
	fnstcw	4(%rsp)
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx
	jmpq	*%rcx
	.cfi_endproc
	.size	go__ctx_switch_out, .-go__ctx_switch_out

/* void go__ctx_switch_in(void **save_sp, void *g_sp, uint64_t *fpcur)
 * From g0: save it; resume a G, loading its FP control word if it is not
 * the thread's current one (*fpcur, which is then updated). */
	.globl	go__ctx_switch_in
	.type	go__ctx_switch_in, @function
	.p2align 4
go__ctx_switch_in:
	.cfi_startproc
#if defined(__CET__)
	endbr64
#endif
	pushq	%rbp
	pushq	%rbx
	pushq	%r12
	pushq	%r13
	pushq	%r14
	pushq	%r15
	movq	%rsp, (%rdi)
	movq	%rsi, %rsp
	movq	(%rsp), %rax
	cmpq	(%rdx), %rax
	jne	2f
1:	addq	$8, %rsp
	popq	%r15
	popq	%r14
	popq	%r13
	popq	%r12
	popq	%rbx
	popq	%rbp
	popq	%rcx
	jmpq	*%rcx
2:	movq	%rax, (%rdx)
	ldmxcsr	(%rsp)
	fldcw	4(%rsp)
	jmp	1b
	.cfi_endproc
	.size	go__ctx_switch_in, .-go__ctx_switch_in

/* The first "return address" of a new G: call go__g_entry (C, never
 * returns).  rsp is 16-byte aligned here; rbp is zero so that unwinders
 * stop at this frame. */
	.globl	go__ctx_entry
	.type	go__ctx_entry, @function
	.p2align 4
go__ctx_entry:
	.cfi_startproc
	.cfi_undefined rip
#if defined(__CET__)
	endbr64
#endif
	xorl	%ebp, %ebp
	call	go__g_entry
	ud2
	.cfi_endproc
	.size	go__ctx_entry, .-go__ctx_entry
#endif
	.section .note.GNU-stack,"",@progbits
